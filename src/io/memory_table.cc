#include "io/memory_table.h"

#include "io/trim.h"

namespace zizhu::io {

MemoryTable::MemoryTable(std::string name, std::vector<std::string> header)
    : name_(std::move(name)), header_(std::move(header)) {}

void MemoryTable::add_row(const std::vector<std::string_view>& cells) {
  for (std::string_view cell : cells) {
    const std::string_view trimmed = trim(cell);
    cell_spans_.emplace_back(text_.size(), trimmed.size());
    text_.append(trimmed);
  }
  row_ends_.push_back(cell_spans_.size());
}

Result<bool> MemoryTable::next(Row& row) {
  while (next_row_ < row_ends_.size()) {
    const size_t begin = next_row_ == 0 ? 0 : row_ends_[next_row_ - 1];
    const size_t end = row_ends_[next_row_];
    ++next_row_;
    cells_.clear();
    bool any = false;
    for (size_t i = begin; i < end; ++i) {
      const std::string_view text(text_.data() + cell_spans_[i].first, cell_spans_[i].second);
      any = any || !text.empty();
      cells_.push_back({text, CellType::kText});
    }
    if (!any) continue;
    row.number = static_cast<long>(next_row_) + 1;  // the header is row 1
    row.cells = cells_;
    return true;
  }
  return false;
}

}  // namespace zizhu::io
