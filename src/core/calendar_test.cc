#include "core/calendar.h"

#include <string>

#include <gtest/gtest.h>

namespace zizhu {
namespace {

Date d(int y, int m, int day) { return *Date::from_ymd(y, m, day); }

const WorkCalendar& shipped() {
  static const WorkCalendar cal = [] {
    auto got = WorkCalendar::load(std::string(ZIZHU_SOURCE_DIR) + "/data/calendar/cn-public-holidays.csv");
    if (!got) {
      ADD_FAILURE() << got.error().describe();
      return WorkCalendar();
    }
    return *got;
  }();
  return cal;
}

TEST(WorkCalendar, ShippedYearsAreCovered) {
  EXPECT_TRUE(shipped().covers(2024));
  EXPECT_TRUE(shipped().covers(2025));
  EXPECT_TRUE(shipped().covers(2026));
  EXPECT_FALSE(shipped().covers(2023));
  EXPECT_FALSE(shipped().covers(2027));
  EXPECT_FALSE(WorkCalendar().covers(2026));
}

TEST(WorkCalendar, Holidays2026) {
  const WorkCalendar& cal = shipped();
  // 元旦 Jan 1-3 off, Sunday Jan 4 worked.
  EXPECT_FALSE(cal.is_working_day(d(2026, 1, 1)));
  EXPECT_FALSE(cal.is_working_day(d(2026, 1, 2)));
  EXPECT_TRUE(cal.is_working_day(d(2026, 1, 4)));
  EXPECT_EQ(d(2026, 1, 4).weekday(), 7);
  // 春节 Feb 15-23 off; Saturdays Feb 14 and Feb 28 worked.
  for (int day = 15; day <= 23; ++day) EXPECT_FALSE(cal.is_working_day(d(2026, 2, day))) << day;
  EXPECT_TRUE(cal.is_working_day(d(2026, 2, 14)));
  EXPECT_TRUE(cal.is_working_day(d(2026, 2, 28)));
  EXPECT_TRUE(cal.is_working_day(d(2026, 2, 24)));
  EXPECT_EQ(cal.day_name(d(2026, 2, 17)), "春节");
  // 清明, 劳动节 (+ Saturday May 9 worked), 端午, 中秋.
  EXPECT_FALSE(cal.is_working_day(d(2026, 4, 6)));
  EXPECT_FALSE(cal.is_working_day(d(2026, 5, 5)));
  EXPECT_TRUE(cal.is_working_day(d(2026, 5, 9)));
  EXPECT_FALSE(cal.is_working_day(d(2026, 6, 19)));
  EXPECT_FALSE(cal.is_working_day(d(2026, 9, 25)));
  // 国庆 Oct 1-7 off; Sunday Sep 20 and Saturday Oct 10 worked.
  for (int day = 1; day <= 7; ++day) EXPECT_FALSE(cal.is_working_day(d(2026, 10, day))) << day;
  EXPECT_TRUE(cal.is_working_day(d(2026, 9, 20)));
  EXPECT_TRUE(cal.is_working_day(d(2026, 10, 10)));
  EXPECT_FALSE(cal.is_working_day(d(2026, 10, 11)));  // an ordinary Sunday
  EXPECT_TRUE(cal.is_working_day(d(2026, 10, 8)));
}

TEST(WorkCalendar, EarlierYears) {
  const WorkCalendar& cal = shipped();
  EXPECT_FALSE(cal.is_working_day(d(2025, 1, 28)));  // 除夕, a holiday since 2025
  EXPECT_TRUE(cal.is_working_day(d(2025, 1, 26)));
  EXPECT_FALSE(cal.is_working_day(d(2025, 10, 8)));  // 国庆 + 中秋 merged, 8 days
  EXPECT_TRUE(cal.is_working_day(d(2025, 10, 11)));
  EXPECT_FALSE(cal.is_working_day(d(2024, 2, 10)));
  EXPECT_TRUE(cal.is_working_day(d(2024, 2, 18)));
  EXPECT_TRUE(cal.is_working_day(d(2024, 2, 9)));  // 除夕 2024 was not a public holiday
}

TEST(WorkCalendar, WorkingDaysPerYear) {
  // Totals as published with the notices: 251 in 2024, 248 in 2025 and 2026.
  EXPECT_EQ(shipped().working_days_between(d(2023, 12, 31), d(2024, 12, 31)), 251);
  EXPECT_EQ(shipped().working_days_between(d(2024, 12, 31), d(2025, 12, 31)), 248);
  EXPECT_EQ(shipped().working_days_between(d(2025, 12, 31), d(2026, 12, 31)), 248);
  EXPECT_EQ(shipped().working_days_between(d(2026, 12, 31), d(2025, 12, 31)), -248);
}

TEST(WorkCalendar, UncoveredYearIsWeekendsOnly) {
  const WorkCalendar& cal = shipped();
  EXPECT_TRUE(cal.is_working_day(d(2027, 10, 1)));  // a Friday; 2027's notice not in the file
  EXPECT_FALSE(cal.is_working_day(d(2027, 10, 2)));
  EXPECT_EQ(cal.working_days_between(d(2026, 12, 31), d(2027, 12, 31)), 261);
}

TEST(WorkCalendar, AddWorkingDaysAcrossNationalDay) {
  const WorkCalendar& cal = shipped();
  EXPECT_EQ(cal.add_working_days(d(2026, 9, 30), 1), d(2026, 10, 8));
  EXPECT_EQ(cal.add_working_days(d(2026, 9, 30), 3), d(2026, 10, 10));  // the make-up Saturday
  EXPECT_EQ(cal.add_working_days(d(2026, 9, 30), 4), d(2026, 10, 12));
  EXPECT_EQ(cal.add_working_days(d(2026, 9, 18), 1), d(2026, 9, 20));  // make-up Sunday
  EXPECT_EQ(cal.add_working_days(d(2026, 9, 24), 1), d(2026, 9, 28));  // over 中秋
  EXPECT_EQ(cal.add_working_days(d(2026, 10, 8), -1), d(2026, 9, 30));
}

TEST(WorkCalendar, AddWorkingDaysAcrossSpringFestival) {
  const WorkCalendar& cal = shipped();
  EXPECT_EQ(cal.add_working_days(d(2026, 2, 13), 1), d(2026, 2, 14));
  EXPECT_EQ(cal.add_working_days(d(2026, 2, 13), 2), d(2026, 2, 24));
  EXPECT_EQ(cal.add_working_days(d(2026, 2, 14), 1), d(2026, 2, 24));
  // n = 0: the day itself when working, else the next working day.
  EXPECT_EQ(cal.add_working_days(d(2026, 2, 14), 0), d(2026, 2, 14));
  EXPECT_EQ(cal.add_working_days(d(2026, 2, 15), 0), d(2026, 2, 24));
  // From a holiday, n = 1 is the first working day after it, as n = 0 is.
  EXPECT_EQ(cal.add_working_days(d(2026, 2, 15), 1), d(2026, 2, 24));
  EXPECT_EQ(cal.add_working_days(d(2026, 2, 15), 2), d(2026, 2, 25));
}

TEST(WorkCalendar, FiveWorkingDayAnnouncement) {
  // A list posted on Wednesday 2026-09-23 for 5 working days (公示不少于5个工作日),
  // counted from the next day: Sep 24, 28, 29, 30 and Oct 8 — it closes on Oct 8,
  // not on Sep 30 as plain weekday counting would say.
  const WorkCalendar& cal = shipped();
  const Date posted = d(2026, 9, 23);
  const Date closes = cal.add_working_days(posted, 5);
  EXPECT_EQ(closes, d(2026, 10, 8));
  EXPECT_EQ(cal.working_days_between(posted, closes), 5);
  EXPECT_EQ(WorkCalendar().add_working_days(posted, 5), d(2026, 9, 30));
}

TEST(WorkCalendar, BetweenAgreesWithDayByDay) {
  const WorkCalendar& cal = shipped();
  const Date start = d(2023, 11, 20);
  for (int span = 0; span < 1200; span += 7) {
    const Date from = start.plus_days(span / 3);
    const Date to = from.plus_days(span);
    int count = 0;
    for (Date x = from.plus_days(1); x <= to; x = x.plus_days(1)) count += cal.is_working_day(x) ? 1 : 0;
    ASSERT_EQ(cal.working_days_between(from, to), count) << from.iso() << " " << to.iso();
  }
  for (int n = 1; n < 400; n += 3) {
    const Date s = d(2024, 1, 1).plus_days(n);
    ASSERT_EQ(cal.working_days_between(s, cal.add_working_days(s, n)), n) << s.iso() << " " << n;
    // Backwards: the result is a working day with exactly n working days in [result, s).
    const Date back = cal.add_working_days(s, -n);
    ASSERT_TRUE(cal.is_working_day(back));
    const int s_counts = cal.is_working_day(s) ? 1 : 0;
    ASSERT_EQ(cal.working_days_between(back, s), n - 1 + s_counts) << s.iso() << " " << n;
  }
}

Error parse_error(const std::string& text) {
  auto got = WorkCalendar::parse(text, "hol.csv");
  EXPECT_FALSE(got.has_value()) << text;
  return got ? Error{} : got.error();
}

void expect_fault(const std::string& text, long row, const std::string& column) {
  const Error e = parse_error(text);
  EXPECT_EQ(e.code, "CALENDAR") << text;
  EXPECT_EQ(e.where.file, "hol.csv");
  EXPECT_EQ(e.where.row, row) << text;
  EXPECT_EQ(e.where.column, column) << text;
  EXPECT_NE(e.message.find("hol.csv:" + std::to_string(row)), std::string::npos) << e.message;
}

TEST(WorkCalendar, BadFilesNameRowAndColumn) {
  const std::string h = "date,kind,name\n";
  expect_fault("", 1, "");
  expect_fault("day,kind,name\n", 1, "");
  expect_fault(h + "2026-10-01,holiday,国庆节\n2026-13-01,holiday,x\n", 3, "date");
  expect_fault(h + "2026/10/01,holiday,x\n", 2, "date");
  expect_fault(h + "20261001,holiday,x\n", 2, "date");
  expect_fault(h + "2026-02-29,holiday,x\n", 2, "date");
  expect_fault(h + ",holiday,x\n", 2, "date");
  expect_fault(h + "2026-10-01,holday,x\n", 2, "kind");
  expect_fault(h + "2026-10-01\n", 2, "kind");
  expect_fault(h + "2026-10-08,workday,x\n", 2, "kind");  // a Thursday cannot be a make-up day
  expect_fault(h + "\n\n2026-10-01,Holiday,x\n", 4, "kind");  // blank rows still count
  expect_fault(h + "2026-10-01,holiday,a\n2026-10-02,holiday,b\n2026-10-01,holiday,c\n", 4, "date");
  expect_fault(h + "2026-10-01,holiday,\"unterminated\n", 2, "");
}

TEST(WorkCalendar, AcceptsBomCrlfQuotesAndAnyOrder) {
  auto got = WorkCalendar::parse(
      "\xEF\xBB\xBF"
      "date,kind,name\r\n2026-10-02,holiday,\"国庆节, 第二天\"\r\n,,\r\n2026-10-01,holiday,国庆节\r\n"
      "2026-01-01,holiday,元旦\r\n2026-10-10,workday,调休\r\n",
      "ok.csv");
  ASSERT_TRUE(got.has_value()) << got.error().describe();
  EXPECT_EQ(got->listed_days().size(), 4u);
  EXPECT_EQ(got->day_name(d(2026, 10, 2)), "国庆节, 第二天");
  EXPECT_TRUE(got->covers(2026));
  EXPECT_TRUE(got->is_working_day(d(2026, 10, 10)));
  EXPECT_FALSE(got->is_working_day(d(2026, 10, 2)));
}

TEST(WorkCalendar, MissingFileIsAnIoError) {
  auto got = WorkCalendar::load("/nonexistent/holidays.csv");
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, "IO");
  EXPECT_NE(got.error().message.find("/nonexistent/holidays.csv"), std::string::npos);
}

}  // namespace
}  // namespace zizhu
