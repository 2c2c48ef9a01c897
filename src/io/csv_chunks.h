// Parallel CSV parsing for big inputs (the identification of 10 million rows):
// the file is read whole (mmap), its encoding judged and converted exactly as
// open_csv does, then split into byte ranges that start at record boundaries.
//
// The split is exact, with no guessing: one sequential pass of the lexer of
// io/csv_record.h, which jumps from quote to quote with memchr (quotes decide
// everything; the lenient grammar makes plain quote parity wrong, since a quote
// inside an unquoted field is literal), finds the lexical state at each
// nominal split point, moves on to the next record start, and counts records,
// so each chunk knows the row number of its first record (a prefix sum).
//
// Each chunk is read by a CsvChunkView, which runs the same record parser as
// the streaming reader: the rows, row numbers and cell text of all chunks, in
// order, are exactly those of open_csv on the same file.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "io/csv_record.h"
#include "io/table.h"

namespace zizhu::io {

namespace detail {
struct CsvContent;  // the file's bytes (mapped or converted), path and header
}

// The rows of one chunk. Usable from its own thread; independent of the
// CsvFileChunks it came from (it shares ownership of the file's bytes).
class CsvChunkView final : public TableReader {
 public:
  const std::string& path() const override;
  const std::vector<std::string>& header() const override;
  // Never fails (the bytes are in memory); Result for the TableReader shape.
  Result<bool> next(Row& row) override;

 private:
  friend class CsvFileChunks;
  CsvChunkView(std::shared_ptr<const detail::CsvContent> content, size_t begin, size_t end, long rows_before)
      : content_(std::move(content)), pos_(begin), end_(end), row_(rows_before) {}

  std::shared_ptr<const detail::CsvContent> content_;
  size_t pos_;
  size_t end_;
  long row_;  // records before the next one
  CsvRecordParser parser_;
};

class CsvFileChunks {
 public:
  // `chunks` is clamped to 1..256; chunks may be empty when the file is small.
  // Errors are those of open_csv (IO, NO_HEADER, BAD_ENCODING).
  static Result<CsvFileChunks> open(const std::string& path, int chunks);

  const std::string& path() const;
  const std::vector<std::string>& header() const;
  int chunk_count() const { return static_cast<int>(ranges_.size()); }
  // A reader for chunk i (0 <= i < chunk_count()).
  CsvChunkView chunk(int i) const;
  // Records (blank ones included) before chunk i, the header's row included:
  // chunk i's first record is row rows_before(i) + 1.
  long rows_before(int i) const { return ranges_[static_cast<size_t>(i)].rows_before; }
  // Records in the file, blank ones and the header included.
  long records_total() const { return records_total_; }

 private:
  struct Range {
    size_t begin;
    size_t end;
    long rows_before;
  };
  std::shared_ptr<const detail::CsvContent> content_;
  std::vector<Range> ranges_;
  long records_total_ = 0;
};

}  // namespace zizhu::io
