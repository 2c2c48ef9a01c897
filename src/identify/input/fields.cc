#include "identify/input/fields.h"

#include <cstring>

#include "core/ascii.h"

namespace zizhu::identify {

io::Cell cell_at(const io::Row& row, int position) {
  if (position < 0 || static_cast<size_t>(position) >= row.cells.size()) return io::Cell{};
  return row.cells[static_cast<size_t>(position)];
}

std::optional<int64_t> parse_count(std::string_view text, int64_t max) {
  if (text.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > max) return std::nullopt;  // also keeps long digit strings from overflowing
  }
  return v;
}

std::optional<bool> parse_boolean(std::string_view t) {
  if (t.empty()) return false;
  if (t == "是" || t == "1" || ascii_iequals(t, "y") || ascii_iequals(t, "true")) return true;
  if (t == "否" || t == "0" || ascii_iequals(t, "n") || ascii_iequals(t, "false")) return false;
  return std::nullopt;
}

std::optional<Date> parse_date_cell(const io::Cell& cell) {
  if (cell.type == io::CellType::kNumber || cell.type == io::CellType::kBool) return std::nullopt;
  return parse_date(cell.text);
}

std::string_view upper_final_x(std::string_view text, char* buffer) {
  if (text.empty() || text.back() != 'x') return text;
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size() - 1] = 'X';
  return std::string_view(buffer, text.size());
}

}  // namespace zizhu::identify
