// A report of several sheets as an .xlsx file (the audit report of
// docs/funds.md "Fund-use publication and audit report"). Each sheet is a
// header row (bold, frozen) and plain rows; text is always written as a
// string (codes, 学籍号 and bank references keep every character), money as
// a number of yuan shown 0.00, counts as numbers. libxlsxwriter in
// constant_memory mode, through a temporary file (1.1.4 writes only to a
// path), the bytes returned.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"

namespace zizhu::print {

struct ReportCell {
  enum class Kind : uint8_t { kText, kMoney, kInteger, kEmpty };
  Kind kind = Kind::kEmpty;
  std::string text;
  int64_t number = 0;  // fen for kMoney

  static ReportCell of_text(std::string value) { return {Kind::kText, std::move(value), 0}; }
  static ReportCell money(int64_t fen) { return {Kind::kMoney, {}, fen}; }
  static ReportCell integer(int64_t value) { return {Kind::kInteger, {}, value}; }
  static ReportCell empty() { return {}; }
};

struct ReportSheet {
  std::string name;                 // at most 31 characters, none of []:*?/\ (Excel's rule)
  std::vector<std::string> header;  // row 1
  std::vector<double> widths;       // per column, Excel's character units (optional)
  std::vector<std::vector<ReportCell>> rows;
  bool bold_last_row = false;       // a total row
};

// Upper bound on rows of one sheet (Excel's limit less the header).
inline constexpr size_t kReportRowsMax = 1048575;

// The workbook's bytes; `title` goes into the document properties, and
// `created_s` (seconds since the epoch) is its creation time, so the same
// input gives the same bytes.
Result<std::string> report_xlsx(const std::vector<ReportSheet>& sheets, const std::string& title, int64_t created_s);

}  // namespace zizhu::print
