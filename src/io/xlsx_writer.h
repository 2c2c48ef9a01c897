// Writes one worksheet of an .xlsx file row by row (libxlsxwriter in
// constant_memory mode: each row goes to disk when the next one starts, so
// millions of rows take little memory). Text is always written as a string,
// never guessed into a number, so IDs and bank cards keep every digit.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace zizhu::io {

class XlsxWriter {
 public:
  // Starts a workbook with one sheet; the file itself is written by close().
  // A sheet name Excel refuses (over 31 characters, []:*?/\) is an error.
  static Result<std::unique_ptr<XlsxWriter>> create(const std::string& path, const std::string& sheet_name);

  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;
  ~XlsxWriter();  // discards an unclosed workbook (its file may be incomplete)

  // A bold header row (call first).
  void header(std::span<const std::string_view> names);
  void text(std::string_view value);
  // Whole fen as a number of yuan, shown with format 0.00. libxlsxwriter
  // writes 16 significant digits of the double nearest fen/100, so amounts of
  // up to 15 digits (below 10^13 yuan) read back as the exact decimal.
  void money_fen(int64_t fen);
  // As a number (16 significant digits written; Excel shows 15).
  void integer(int64_t value);
  void empty();
  void end_row();

  // Writes the file; the first error (a write, a too long string, too many
  // rows, the disk) names the file.
  Result<void> close();

 private:
  XlsxWriter(std::string path, lxw_workbook* wb, lxw_worksheet* ws);
  void note(int err);  // keeps the first libxlsxwriter error

  std::string path_;
  lxw_workbook* workbook_;
  lxw_worksheet* sheet_;
  lxw_format* bold_ = nullptr;
  lxw_format* money_ = nullptr;
  uint32_t row_ = 0;
  uint16_t col_ = 0;
  int error_ = 0;
  std::string scratch_;  // NUL-terminated copy of a text value
};

}  // namespace zizhu::io
