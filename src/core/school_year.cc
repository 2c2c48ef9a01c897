#include "core/school_year.h"

#include "core/ascii.h"

namespace zizhu {

namespace {

std::optional<int> four_digits(std::string_view s) {
  if (s.size() != 4) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

Date ymd(int year, int month, int day) {
  // Callers pass real dates within 1..9999; a year at the edge of that range
  // (school year 9999-10000 does not parse) cannot reach here invalid.
  return Date::from_ymd(year, month, day).value_or(Date());
}

}  // namespace

std::optional<SchoolYear> parse_school_year(std::string_view text) {
  if (text.size() != 9 || text[4] != '-') return std::nullopt;
  const auto first = four_digits(text.substr(0, 4));
  const auto second = four_digits(text.substr(5, 4));
  if (!first || !second || *first < 1 || *second != *first + 1) return std::nullopt;
  return SchoolYear{*first};
}

std::string to_string(SchoolYear year) {
  auto pad = [](int y) {
    std::string s = std::to_string(y);
    if (s.size() < 4) s.insert(0, 4 - s.size(), '0');
    return s;
  };
  return pad(year.start_year) + "-" + pad(year.start_year + 1);
}

std::string_view term_name(Term term) {
  return term == Term::kAutumn ? "秋季学期" : "春季学期";
}

std::string_view term_key(Term term) { return term == Term::kAutumn ? "autumn" : "spring"; }

std::optional<Term> parse_term(std::string_view text) {
  if (ascii_iequals(text, "autumn") || text == "秋季学期" || text == "秋季") return Term::kAutumn;
  if (ascii_iequals(text, "spring") || text == "春季学期" || text == "春季") return Term::kSpring;
  return std::nullopt;
}

DateRange school_year_range(SchoolYear year) {
  return {ymd(year.start_year, 9, 1), ymd(year.start_year + 1, 8, 31)};
}

DateRange term_range(SchoolYear year, Term term) {
  if (term == Term::kAutumn) return {ymd(year.start_year, 9, 1), ymd(year.start_year + 1, 1, 31)};
  return {ymd(year.start_year + 1, 2, 1), ymd(year.start_year + 1, 8, 31)};
}

SchoolYear school_year_of(Date d) {
  const Ymd v = d.ymd();
  return SchoolYear{v.month >= 9 ? v.year : v.year - 1};
}

Term term_of(Date d) {
  const int month = d.ymd().month;
  return (month >= 9 || month == 1) ? Term::kAutumn : Term::kSpring;
}

}  // namespace zizhu
