// Bank card numbers: 12–19 digits. The Luhn check is only a warning, since not
// every domestic card follows it.
#pragma once

#include <string_view>

namespace zizhu {
bool bank_card_valid(std::string_view s);  // 12–19 ASCII digits
bool luhn_valid(std::string_view digits);  // false for anything but ASCII digits
}
