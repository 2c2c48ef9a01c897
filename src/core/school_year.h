// School years ("2026-2027") and their two terms. Convention (docs/calendar.md):
// a school year runs from 1 September to 31 August; the autumn term (秋季学期)
// is 1 September – 31 January, the spring term (春季学期) 1 February – 31 August
// (the summer holiday belongs to the spring term, so every date has a term).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace zizhu {

struct SchoolYear {
  int start_year;  // 2026 for "2026-2027"
  constexpr auto operator<=>(const SchoolYear&) const = default;
};

// "YYYY-YYYY" with four ASCII digits each and the second year the first + 1;
// years 1..9999. Nothing on any other spelling.
std::optional<SchoolYear> parse_school_year(std::string_view text);
std::string to_string(SchoolYear year);  // "2026-2027"

enum class Term : uint8_t { kAutumn = 1, kSpring = 2 };  // 秋季学期, 春季学期

std::string_view term_name(Term term);  // "秋季学期" / "春季学期"
std::string_view term_key(Term term);   // "autumn" / "spring"
// "autumn", "spring" (any ASCII case), "秋季学期", "春季学期", "秋季", "春季".
std::optional<Term> parse_term(std::string_view text);

struct DateRange {
  Date first;  // inclusive
  Date last;   // inclusive
  bool contains(Date d) const { return first <= d && d <= last; }
};

// 1 September of start_year to 31 August of the next year.
DateRange school_year_range(SchoolYear year);
DateRange term_range(SchoolYear year, Term term);

// The school year and term a date falls in.
SchoolYear school_year_of(Date d);
Term term_of(Date d);

}  // namespace zizhu
