// ASCII-only case folding: file extensions, English column keys and the
// spellings of booleans are compared without regard to case, and nothing else
// (Chinese text is compared exactly).
#pragma once

#include <string_view>

namespace zizhu {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

constexpr bool ascii_iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && ascii_iequals(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace zizhu
