// A resident ID read in one pass for the roster's hot loop: its key
// (core's resident_id_key) and, when it passes validation (core's
// resident_id_valid, GB 11643-1999), its birth date and sex. The same rules
// as core/resident_id.cc, without validating the shape three times and
// converting the date twice per roster row; resident_id_read_test.cc checks
// the two agree.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/date.h"
#include "core/resident_id.h"

namespace zizhu::identify {

struct ResidentIdFacts {
  bool shaped = false;    // 17 digits then a digit or X/x: `key` is set
  bool valid = false;     // passes validation on the reference date
  bool male = false;      // valid only: the 17th digit is odd
  uint64_t key = 0;       // resident_id_key
  int32_t birth_days = 0; // valid only: days since 1970-01-01
};

inline ResidentIdFacts read_resident_id(std::string_view id, int32_t reference_days) {
  constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  constexpr char kCheckChars[12] = "10X98765432";
  ResidentIdFacts f;
  if (id.size() != 18) return f;
  uint64_t body = 0;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    const unsigned d = static_cast<unsigned char>(id[i]) - unsigned{'0'};
    if (d > 9) return f;
    body = body * 10 + d;
    sum += static_cast<int>(d) * kWeights[i];
  }
  const char last = id[17] == 'x' ? 'X' : id[17];
  uint64_t check = 0;
  if (last >= '0' && last <= '9') {
    check = static_cast<uint64_t>(last - '0');
  } else if (last == 'X') {
    check = 10;
  } else {
    return f;
  }
  f.shaped = true;
  f.key = body * 11 + check;
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) v = v * 10 + (id[i] - '0');
    return v;
  };
  if (!is_province_code(num(0, 2))) return f;
  const int y = num(6, 4), m = num(10, 2), d = num(12, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return f;
  static constexpr int kMonthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kMonthDays[m - 1] + (m == 2 && leap ? 1 : 0)) return f;
  // Days since 1970-01-01 (H. Hinnant's days_from_civil, years >= 1900 here).
  const int yy = y - (m <= 2 ? 1 : 0);
  const int era = yy / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int32_t days = era * 146097 + doe - 719468;
  if (days > reference_days) return f;  // 1900-01-01 and later: y >= 1900 above
  if (kCheckChars[sum % 11] != last) return f;
  f.valid = true;
  f.male = (id[16] - '0') % 2 == 1;
  f.birth_days = days;
  return f;
}

}  // namespace zizhu::identify
