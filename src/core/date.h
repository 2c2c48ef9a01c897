// Calendar dates as a count of days, so that comparing and subtracting dates is
// integer arithmetic and no time zone can shift a birthday.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zizhu {

struct Ymd {
  int year;
  int month;  // 1-12
  int day;    // 1-31
};

class Date {
 public:
  constexpr Date() = default;
  // Days since 1970-01-01 (negative before it).
  static constexpr Date from_days(int32_t days) { return Date(days); }
  // The date, or nothing when (year, month, day) is not on the calendar.
  // Years 1..9999 only.
  static std::optional<Date> from_ymd(int year, int month, int day);
  static bool valid_ymd(int year, int month, int day);

  constexpr int32_t days() const { return days_; }
  Ymd ymd() const;
  int weekday() const;  // 1 = Monday ... 7 = Sunday (ISO 8601)
  std::string iso() const;  // YYYY-MM-DD

  constexpr Date plus_days(int32_t n) const { return Date(days_ + n); }
  constexpr auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

// Reads a date written as text in one of the forms identify.md accepts:
// YYYY-MM-DD, YYYYMMDD (two-digit month and day) or YYYY/M/D (one or two
// digits). Nothing when the form is wrong or the date is not on the calendar.
std::optional<Date> parse_date(std::string_view text);

// Whole years of age on `on` for someone born on `birth`: the birthday counts
// as reached when (on.month, on.day) >= (birth.month, birth.day).
int age_years(Date birth, Date on);

bool is_leap_year(int year);
int days_in_month(int year, int month);

}  // namespace zizhu
