// Maps a file's header to the columns a table expects (identify.md): a column
// is named by its Chinese name (exactly) or its English key (ASCII case
// ignored), in any order; unknown headers are ignored; when two headers name
// the same column, the first wins.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zizhu::io {

struct ColumnSpec {
  std::string_view chinese;
  std::string_view key;
  bool required = false;
};

struct HeaderMap {
  std::vector<int> position;       // per spec column: index in the file's header, or -1
  std::vector<std::string> names;  // per spec column: the header as written in the file ("" if absent)
  // The first required column (in spec order) that is absent, if any.
  std::optional<size_t> first_missing_required;
};

// `header` holds trimmed names (as TableReader::header() gives them).
HeaderMap map_header(std::span<const std::string> header, std::span<const ColumnSpec> columns);

}  // namespace zizhu::io
