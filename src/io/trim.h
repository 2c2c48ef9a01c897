// Trimming of cell values as identify.md defines it: ASCII white space (space,
// tab, CR, LF, VT, FF) and the ideographic space U+3000 (UTF-8 E3 80 80), from
// both ends. Other Unicode spaces (U+00A0 …) are kept: the spec names only these.
#pragma once

#include <string_view>

namespace zizhu::io {

inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The view without leading and trailing white space; never allocates.
std::string_view trim(std::string_view s);

}  // namespace zizhu::io
