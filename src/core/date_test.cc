#include "core/date.h"

#include <gtest/gtest.h>

namespace zizhu {
namespace {

TEST(Date, RoundTripsEveryDayOfFourCenturies) {
  auto d = Date::from_ymd(1900, 1, 1);
  ASSERT_TRUE(d);
  Date cur = *d;
  for (int i = 0; i < 146097 * 1 + 400; ++i) {
    const Ymd v = cur.ymd();
    auto back = Date::from_ymd(v.year, v.month, v.day);
    ASSERT_TRUE(back) << v.year << "-" << v.month << "-" << v.day;
    ASSERT_EQ(back->days(), cur.days());
    cur = cur.plus_days(1);
  }
}

TEST(Date, KnownDays) {
  EXPECT_EQ(Date::from_ymd(1970, 1, 1)->days(), 0);
  EXPECT_EQ(Date::from_ymd(2000, 3, 1)->days(), 11017);
  EXPECT_EQ(Date::from_ymd(2026, 9, 1)->iso(), "2026-09-01");
  EXPECT_EQ(Date::from_ymd(2026, 9, 1)->weekday(), 2);  // a Tuesday
  EXPECT_EQ(Date::from_ymd(2026, 11, 28)->weekday(), 6);  // a Saturday
}

TEST(Date, RejectsDaysNotOnTheCalendar) {
  EXPECT_FALSE(Date::from_ymd(2026, 2, 29));
  EXPECT_TRUE(Date::from_ymd(2024, 2, 29));
  EXPECT_FALSE(Date::from_ymd(1900, 2, 29));
  EXPECT_TRUE(Date::from_ymd(2000, 2, 29));
  EXPECT_FALSE(Date::from_ymd(2026, 4, 31));
  EXPECT_FALSE(Date::from_ymd(2026, 13, 1));
  EXPECT_FALSE(Date::from_ymd(2026, 0, 1));
  EXPECT_FALSE(Date::from_ymd(2026, 1, 0));
}

TEST(Date, ParsesTheThreeTextForms) {
  EXPECT_EQ(parse_date("2026-09-01")->iso(), "2026-09-01");
  EXPECT_EQ(parse_date("20260901")->iso(), "2026-09-01");
  EXPECT_EQ(parse_date("2026/9/1")->iso(), "2026-09-01");
  EXPECT_EQ(parse_date("2026/09/01")->iso(), "2026-09-01");
  EXPECT_EQ(parse_date("2026/12/31")->iso(), "2026-12-31");
}

TEST(Date, RefusesOtherForms) {
  for (const char* bad : {"", "2026-9-1", "2026-09-1", "2026-02-30", "2026090", "202609011",
                          "2026/009/1", "2026/9/", "2026/9", "26/9/1", "2026.09.01", "2026-09-01 ",
                          "２０２６-09-01", "2026/1/1/1", "abcd-ef-gh", "2026/+9/1"}) {
    EXPECT_FALSE(parse_date(bad)) << bad;
  }
}

TEST(Date, AgeCountsTheBirthdayAsReached) {
  const Date birth = *Date::from_ymd(2016, 9, 1);
  EXPECT_EQ(age_years(birth, *Date::from_ymd(2026, 9, 1)), 10);
  EXPECT_EQ(age_years(birth, *Date::from_ymd(2026, 8, 31)), 9);
  const Date leap = *Date::from_ymd(2016, 2, 29);
  EXPECT_EQ(age_years(leap, *Date::from_ymd(2026, 2, 28)), 9);
  EXPECT_EQ(age_years(leap, *Date::from_ymd(2026, 3, 1)), 10);
}

}  // namespace
}  // namespace zizhu
