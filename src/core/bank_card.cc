#include "core/bank_card.h"

namespace zizhu {

bool bank_card_valid(std::string_view s) {
  if (s.size() < 12 || s.size() > 19) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) return false;
  // Kept below 10 as it goes, so no length of input can overflow it.
  int sum = 0;
  bool doubled = false;
  for (size_t i = digits.size(); i-- > 0;) {
    const char c = digits[i];
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (doubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    if (sum >= 10) sum -= 10;
    doubled = !doubled;
  }
  return sum == 0;
}

}  // namespace zizhu
