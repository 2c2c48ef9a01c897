// Resident identity numbers (居民身份证号码, GB 11643-1999) as identify.md
// defines their validity.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace zizhu {

// 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82.
bool is_province_code(int two_digits);

// The check character for 17 ASCII digits: weights 7 9 10 5 8 4 2 1 6 3 7 9 10
// 5 8 4 2, sum mod 11 indexes "10X98765432". Precondition: 17 ASCII digits.
char resident_id_check_char(std::string_view first17);

// Valid when: 18 characters, 17 digits and a digit or X/x; a province code; the
// digits 7–14 a real date from 1900-01-01 up to `reference`; the right check
// character. The six-digit region code is not checked (abolished codes stay
// valid in the IDs issued under them).
bool resident_id_valid(std::string_view id, Date reference);

struct ResidentIdInfo {
  int province;     // first two digits
  int region_code;  // first six digits
  Date birth;
  bool male;        // the 17th digit is odd for a man
};
// Nothing unless the ID is valid.
std::optional<ResidentIdInfo> resident_id_info(std::string_view id, Date reference);

// A 64-bit key of any 17 ASCII digits followed by [0-9Xx], valid or not:
// body17 * 11 + check (X = 10), below 1.1 * 10^18 < 2^60. Keys sort as the
// upper-cased text does in byte order ('X' after '9'), so hash joins and sorts
// on IDs can work on integers. Nothing for another shape.
std::optional<uint64_t> resident_id_key(std::string_view id);
// The 18 characters of a key from resident_id_key, 'X' upper-case. For a
// larger key (none comes from resident_id_key) only the low 17 body digits
// are written.
std::string resident_id_from_key(uint64_t key);

}  // namespace zizhu
