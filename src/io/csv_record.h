// The one CSV parsing core shared by the streaming reader (csv_reader.cc) and
// the parallel chunked parser (csv_chunks.cc), so both deliver the same rows.
//
// Grammar: RFC 4180, read leniently the way Python's csv module (strict=False)
// and spreadsheet programs read it:
//  - a field is quoted only when its FIRST byte is '"'; inside, '""' is one
//    quote, and commas, CR and LF are data;
//  - a '"' anywhere else in an unquoted field is kept literally (ab"c → ab"c);
//  - text after a closing quote is kept literally up to the next ',' or line
//    end, and quotes in it are literal ("ab"c → abc, "ab"c"d" → abc"d");
//  - an unterminated quote runs to the end of the input; the record is kept;
//  - records end at LF; a CR before it is part of the last field and is
//    removed by trimming like every other edge white space (so "\r\n" and "\n"
//    read the same, and a lone CR inside a value is kept);
//  - a file ending without a line end still ends its last record; a final
//    line end does not start another record.
// Every cell is trimmed (io/trim.h) and typed CellType::kText.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "io/table.h"

namespace zizhu::io {

enum class ParseStatus : uint8_t {
  kRecord,    // one record parsed; `pos` is past its line end
  kNeedMore,  // the buffer ends inside the record and more input follows
  kEnd,       // pos == size and no more input follows
};

class CsvRecordParser {
 public:
  // Parses the record that starts at data[pos] (data[0, size) is readable).
  // `final` says no bytes follow data[size). On kNeedMore nothing is consumed:
  // the caller adds input and calls again from the same record start.
  ParseStatus parse(const char* data, size_t size, size_t& pos, bool final);

  // The cells of the last record, trimmed; they point into `data` or into this
  // parser's scratch space, valid until the next parse().
  std::span<const Cell> cells() const { return {cells_.data(), count_}; }
  // True when every cell of the last record is empty after trimming.
  bool blank() const { return blank_; }

 private:
  // cells_[0, count_) are the last record's; the vector only grows, so that
  // adding a cell is a store, not a push_back (ten million rows of twelve
  // cells made push_back's capacity checks a visible cost).
  std::vector<Cell> cells_;
  size_t count_ = 0;
  void add_cell(Cell c) {
    if (count_ == cells_.size()) cells_.resize(cells_.size() * 2 + 16);
    cells_[count_++] = c;
  }
  // Values that are not a plain slice of the input ("" escapes, text after a
  // closing quote) are assembled here; their cells are fixed up at record end
  // because the scratch may move while it grows.
  std::string scratch_;
  struct Pending {
    size_t cell;
    size_t offset;
    size_t size;
  };
  std::vector<Pending> pending_;
  bool blank_ = true;
};

// The lexical state between two bytes, enough to find record boundaries
// without building cells (used to split a file into chunks).
enum class LexState : uint8_t {
  kFieldStart,  // at the start of a field (or record)
  kUnquoted,    // inside an unquoted field, or after a closing quote
  kQuoted,      // inside a quoted field
  kQuoteSeen,   // just after a '"' inside a quoted field ("" or the close)
};

struct LexScan {
  LexState state = LexState::kFieldStart;
  long records_ended = 0;  // line ends that ended a record
};

// Runs the lexer over [p, end) from `state`. Jumps from quote to quote with
// memchr, so quote-free text costs only a newline count (and nothing more
// when `count_records` is false: records_ended is then 0).
LexScan lex_scan(const char* p, const char* end, LexState state, bool count_records = true);

// From `state` at p, the offset of the first byte after the next record's line
// end, or `end` if the input ends first.
const char* lex_next_record_start(const char* p, const char* end, LexState state);

// Number of '\n' bytes in [p, end).
long count_newlines(const char* p, const char* end);

}  // namespace zizhu::io

namespace zizhu::io {

// Converts a whole GB18030 file's bytes to UTF-8; an invalid sequence is a
// BAD_ENCODING error naming `path` and the row (record) it is in.
Result<std::string> csv_from_gb18030(const std::string& path, std::string_view bytes);

}  // namespace zizhu::io
