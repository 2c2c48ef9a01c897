// A table read from a file, row by row: the one shape in which CSV and XLSX
// input reach the rest of the program. The reader handles the format and the
// encoding; what a value means is decided by the caller (identify/input, import).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace zizhu::io {

// What a cell held in the file. CSV cells are always kText. XLSX cells keep
// their type so that callers can apply identify.md's rules (an ID or bank card
// given as a number is NUMERIC_CELL; a plain number in a date column is not a
// date).
enum class CellType : uint8_t {
  kText,    // text (or an empty cell)
  kNumber,  // text is the shortest exact decimal form: "3", "12000.5"
  kDate,    // a date-formatted number; text is YYYY-MM-DD
  kBool,    // text is "true" or "false"
};

struct Cell {
  std::string_view text;  // trimmed of ASCII white space and U+3000; UTF-8
  CellType type = CellType::kText;
};

struct Row {
  long number = 0;              // as a spreadsheet shows it: the header is row 1
  std::span<const Cell> cells;  // in file column order; may be shorter than the header
};

class TableReader {
 public:
  virtual ~TableReader() = default;
  // The file's name as given by the caller (used in every error and reject).
  virtual const std::string& path() const = 0;
  // Row 1, each name trimmed, a UTF-8 BOM removed.
  virtual const std::vector<std::string>& header() const = 0;
  // The next row that has at least one non-empty cell; rows that are empty
  // after trimming are skipped but still counted in Row::number. Returns false
  // at the end. `row` and the text it points to stay valid until the next call.
  virtual Result<bool> next(Row& row) = 0;
};

// Opens a .csv or .xlsx file (the extension matched without regard to case);
// anything else, or a file that cannot be opened or has no header row, is an
// error naming the file.
Result<std::unique_ptr<TableReader>> open_table(const std::string& path);

}  // namespace zizhu::io
