#include "io/header_map.h"

#include <algorithm>

#include "core/ascii.h"

namespace zizhu::io {

HeaderMap map_header(std::span<const std::string> header, std::span<const ColumnSpec> columns) {
  HeaderMap m;
  m.position.assign(columns.size(), -1);
  m.names.assign(columns.size(), std::string());
  for (size_t c = 0; c < columns.size(); ++c) {
    const ColumnSpec& spec = columns[c];
    for (size_t h = 0; h < header.size(); ++h) {
      const std::string& name = header[h];
      if (name.empty()) continue;
      if (name == spec.chinese || (!spec.key.empty() && ascii_iequals(name, spec.key))) {
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
