// The small parts of an XLSX package read before the worksheet: the workbook
// (which sheet, which date system), the shared strings and the cell styles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "io/xlsx_zip.h"

namespace zizhu::io::xlsx {

struct WorkbookInfo {
  std::string sheet_part;  // zip entry of the first worksheet
  std::string shared_strings_part;  // may be absent from the zip
  std::string styles_part;          // may be absent from the zip
  bool date1904 = false;
};

// The workbook part (named by _rels/.rels, else xl/workbook.xml) and its first
// <sheet> that is a worksheet, resolved through the workbook's relationships
// (xl/_rels/workbook.xml.rels); without those, xl/worksheets/sheet1.xml. The
// shared strings and styles parts likewise.
Result<WorkbookInfo> read_workbook(ZipPackage& zip);

// All strings of xl/sharedStrings.xml in one buffer: each <si>'s <t> texts
// (rich-text runs included, phonetic <rPh> runs left out) joined.
class SharedStrings {
 public:
  size_t size() const { return ends_.size(); }
  std::string_view at(size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(chars_).substr(begin, ends_[i] - begin);
  }

 private:
  friend class SharedStringsHandler;
  std::string chars_;
  std::vector<size_t> ends_;
};

// Empty when the package has no such part. OOXML escapes (_x000D_) decoded.
Result<SharedStrings> read_shared_strings(ZipPackage& zip, const std::string& part);

// For each cellXfs index (a cell's s attribute), whether its number format is
// a date; empty when the package has no such part.
Result<std::vector<bool>> read_date_styles(ZipPackage& zip, const std::string& part);

}  // namespace zizhu::io::xlsx
