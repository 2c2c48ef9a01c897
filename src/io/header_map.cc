#include "io/header_map.h"

#include <algorithm>

namespace zizhu::io {

namespace {

bool equal_ascii_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

HeaderMap map_header(std::span<const std::string> header, std::span<const ColumnSpec> columns) {
  HeaderMap m;
  m.position.assign(columns.size(), -1);
  m.names.assign(columns.size(), std::string());
  for (size_t c = 0; c < columns.size(); ++c) {
    const ColumnSpec& spec = columns[c];
    for (size_t h = 0; h < header.size(); ++h) {
      const std::string& name = header[h];
      if (name.empty()) continue;
      if (name == spec.chinese || (!spec.key.empty() && equal_ascii_nocase(name, spec.key))) {
        m.position[c] = static_cast<int>(h);  // the first header wins
        m.names[c] = name;
        break;
      }
    }
    if (spec.required && m.position[c] < 0 && !m.first_missing_required) m.first_missing_required = c;
  }
  return m;
}

}  // namespace zizhu::io
