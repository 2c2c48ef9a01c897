#include "core/school_code.h"

namespace zizhu {
bool school_code_valid(std::string_view s) {
  if (s.size() != 10) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace zizhu
