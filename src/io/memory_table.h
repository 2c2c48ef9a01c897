// A table held in memory, read through the same TableReader interface as a
// CSV or XLSX file: how data from the database reaches code written for
// files (the identification run in the server). Cells are text, trimmed like
// a file's; rows without a non-empty cell are skipped but counted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/table.h"

namespace zizhu::io {

class MemoryTable final : public TableReader {
 public:
  // `name` stands for the file name in errors and rejects.
  MemoryTable(std::string name, std::vector<std::string> header);

  // Appends a row (cells in header order; fewer is allowed).
  void add_row(const std::vector<std::string_view>& cells);
  size_t rows() const { return row_ends_.size(); }

  const std::string& path() const override { return name_; }
  const std::vector<std::string>& header() const override { return header_; }
  Result<bool> next(Row& row) override;

 private:
  std::string name_;
  std::vector<std::string> header_;
  std::string text_;                                   // every cell's bytes
  std::vector<std::pair<size_t, size_t>> cell_spans_;  // offset, size into text_
  std::vector<size_t> row_ends_;                       // end index into cell_spans_ per row
  size_t next_row_ = 0;
  std::vector<Cell> cells_;                            // the current row
};

}  // namespace zizhu::io
