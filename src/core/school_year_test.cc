#include "core/school_year.h"

#include <gtest/gtest.h>

namespace zizhu {
namespace {

Date d(int y, int m, int day) { return *Date::from_ymd(y, m, day); }

TEST(SchoolYear, Parses) {
  auto y = parse_school_year("2026-2027");
  ASSERT_TRUE(y.has_value());
  EXPECT_EQ(y->start_year, 2026);
  EXPECT_EQ(to_string(*y), "2026-2027");
  EXPECT_EQ(to_string(SchoolYear{999}), "0999-1000");
  EXPECT_TRUE(parse_school_year("9998-9999").has_value());
}

TEST(SchoolYear, Refuses) {
  const char* cases[] = {"2026-2028", "2026-2026", "2027-2026", "2026/2027", "2026–2027", "26-27", "2026-27",
                         " 2026-2027", "2026-2027 ", "", "2026", "0000-0001", "9999-0000", "２０２６-２０２７", "20a6-2027"};
  for (const char* c : cases) EXPECT_FALSE(parse_school_year(c).has_value()) << c;
}

TEST(Term, Names) {
  EXPECT_EQ(term_name(Term::kAutumn), "秋季学期");
  EXPECT_EQ(term_name(Term::kSpring), "春季学期");
  EXPECT_EQ(parse_term("秋季学期"), Term::kAutumn);
  EXPECT_EQ(parse_term("Spring"), Term::kSpring);
  EXPECT_EQ(parse_term("春季"), Term::kSpring);
  EXPECT_FALSE(parse_term("summer").has_value());
  EXPECT_EQ(parse_term(term_key(Term::kAutumn)), Term::kAutumn);
}

TEST(Term, Ranges) {
  const SchoolYear y{2026};
  EXPECT_EQ(school_year_range(y).first, d(2026, 9, 1));
  EXPECT_EQ(school_year_range(y).last, d(2027, 8, 31));
  EXPECT_EQ(term_range(y, Term::kAutumn).first, d(2026, 9, 1));
  EXPECT_EQ(term_range(y, Term::kAutumn).last, d(2027, 1, 31));
  EXPECT_EQ(term_range(y, Term::kSpring).first, d(2027, 2, 1));
  EXPECT_EQ(term_range(y, Term::kSpring).last, d(2027, 8, 31));
  EXPECT_TRUE(term_range(y, Term::kAutumn).contains(d(2026, 12, 31)));
  EXPECT_FALSE(term_range(y, Term::kAutumn).contains(d(2027, 2, 1)));
}

TEST(Term, DateFallsIn) {
  EXPECT_EQ(school_year_of(d(2026, 9, 1)).start_year, 2026);
  EXPECT_EQ(school_year_of(d(2026, 8, 31)).start_year, 2025);
  EXPECT_EQ(school_year_of(d(2027, 1, 31)).start_year, 2026);
  EXPECT_EQ(term_of(d(2026, 9, 1)), Term::kAutumn);
  EXPECT_EQ(term_of(d(2027, 1, 31)), Term::kAutumn);
  EXPECT_EQ(term_of(d(2027, 2, 1)), Term::kSpring);
  EXPECT_EQ(term_of(d(2027, 8, 31)), Term::kSpring);  // the summer holiday closes the spring term
  // Every day of a school year lies in exactly one of its terms.
  const SchoolYear y{2027};
  for (Date x = school_year_range(y).first; x <= school_year_range(y).last; x = x.plus_days(1)) {
    ASSERT_EQ(school_year_of(x), y) << x.iso();
    ASSERT_TRUE(term_range(y, term_of(x)).contains(x)) << x.iso();
  }
}

}  // namespace
}  // namespace zizhu
