// Buffered CSV writer: UTF-8 without a BOM, "\n" after every row (the last one
// too), a field quoted only when it holds a comma, a quote, a CR or an LF (its
// quotes doubled). Writes millions of rows: no allocation per field or row.
#pragma once

#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace zizhu::io {

class CsvWriter {
 public:
  // Creates (or truncates) the file. An error names it.
  static Result<std::unique_ptr<CsvWriter>> open(const std::string& path);
  // Appends to *out instead of a file (tests, small outputs).
  static std::unique_ptr<CsvWriter> to_string(std::string* out);

  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;
  ~CsvWriter();

  void field(std::string_view value);
  void end_row();
  void row(std::span<const std::string_view> values);
  void row(std::initializer_list<std::string_view> values) { row(std::span(values.begin(), values.size())); }

  // Appends rows already formatted by another CsvWriter (to_string), e.g.
  // parts of one file formatted on several threads. Only between rows.
  void raw(std::string_view formatted) { put(formatted.data(), formatted.size()); }

  // Flushes and closes; reports the first write error (disk full …) naming
  // the file. Rows written after a failed flush are dropped.
  Result<void> close();

 private:
  CsvWriter(std::string path, int fd, std::string* out);
  void flush();
  void put(const char* p, size_t n) {
    if (buf_.size() - used_ < n) flush();
    if (n > buf_.size() - used_) {  // larger than the buffer: straight through
      write_out(p, n);
      return;
    }
    std::memcpy(buf_.data() + used_, p, n);
    used_ += n;
  }
  void put(char c) {
    if (used_ == buf_.size()) flush();
    buf_[used_++] = c;
  }
  void write_out(const char* p, size_t n);

  std::string path_;
  int fd_ = -1;
  std::string* out_ = nullptr;
  std::string buf_;
  size_t used_ = 0;
  bool row_started_ = false;
  int error_ = 0;  // errno of the first failed write
};

}  // namespace zizhu::io
