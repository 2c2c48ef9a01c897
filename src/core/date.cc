#include "core/date.h"

#include <cstdio>

namespace zizhu {
namespace {

// Days from 1970-01-01 to (y, m, d) in the proleptic Gregorian calendar, by
// counting 400-year eras of 146097 days from 0000-03-01.
int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                                    // [0, 399]
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;   // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

Ymd civil_from_days(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return Ymd{m <= 2 ? y + 1 : y, m, d};
}

bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

bool Date::valid_ymd(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::optional<Date> Date::from_ymd(int year, int month, int day) {
  if (!valid_ymd(year, month, day)) return std::nullopt;
  return Date(days_from_civil(year, month, day));
}

Ymd Date::ymd() const { return civil_from_days(days_); }

int Date::weekday() const {
  // 1970-01-01 was a Thursday (4).
  const int w = static_cast<int>(((static_cast<int64_t>(days_) % 7) + 7 + 3) % 7);
  return w + 1;
}

std::string Date::iso() const {
  const Ymd v = ymd();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
  return buf;
}

std::optional<Date> parse_date(std::string_view t) {
  if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
    auto y = t.substr(0, 4), m = t.substr(5, 2), d = t.substr(8, 2);
    if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
    return Date::from_ymd(to_int(y), to_int(m), to_int(d));
  }
  if (t.size() == 8 && digits(t)) {
    return Date::from_ymd(to_int(t.substr(0, 4)), to_int(t.substr(4, 2)), to_int(t.substr(6, 2)));
  }
  // YYYY/M/D with one or two digits for month and day.
  if (t.size() >= 8 && t.size() <= 10 && t[4] == '/') {
    const auto y = t.substr(0, 4);
    const auto rest = t.substr(5);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto m = rest.substr(0, slash), d = rest.substr(slash + 1);
    if (!digits(y) || !digits(m) || !digits(d) || m.size() > 2 || d.size() > 2) return std::nullopt;
    return Date::from_ymd(to_int(y), to_int(m), to_int(d));
  }
  return std::nullopt;
}

int age_years(Date birth, Date on) {
  const Ymd b = birth.ymd(), o = on.ymd();
  int age = o.year - b.year;
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
  return age;
}

}  // namespace zizhu
