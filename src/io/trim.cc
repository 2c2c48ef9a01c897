#include "io/trim.h"

namespace zizhu::io {

namespace {
constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000
}

std::string_view trim(std::string_view s) {
  // Most cells need no trimming: test the two ends before looping.
  for (;;) {
    if (s.empty()) return s;
    if (is_ascii_space(s.front())) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (s.empty()) return s;
    if (is_ascii_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

}  // namespace zizhu::io
