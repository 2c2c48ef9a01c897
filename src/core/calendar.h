// The working-day calendar: Monday to Friday are working days, except the
// public holidays of the State Council's yearly notice; a Saturday or Sunday
// that the notice makes a working day (调休) is one. The schedule comes from a
// CSV file an administrator edits (data/calendar/cn-public-holidays.csv,
// described in docs/calendar.md); a year the file does not cover falls back
// to plain weekends, and covers() lets callers warn about it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace zizhu {

class WorkCalendar {
 public:
  // Largest |n| add_working_days accepts (about 4000 years of working days);
  // larger values are clamped, so every call ends in a bounded number of steps.
  static constexpr int kMaxWorkingDaysStep = 1'000'000;
  // Calendar files are small; a larger file is refused rather than read.
  static constexpr size_t kMaxFileBytes = 1 << 20;

  // An empty calendar: weekends only, covers() false for every year.
  WorkCalendar() = default;

  // Reads the CSV file (header `date,kind,name`). Errors have code "CALENDAR"
  // (or "IO" when the file cannot be read) and name the file, row and column.
  static Result<WorkCalendar> load(const std::string& csv_path);
  // The same from text; `name` is used in error messages.
  static Result<WorkCalendar> parse(std::string_view csv_text, const std::string& name);

  // Monday to Friday unless a listed holiday; Saturday or Sunday when listed
  // as a make-up working day.
  bool is_working_day(Date d) const;

  // n = 0: start when it is a working day, else the next working day.
  // n > 0: the n-th working day after start, start itself not counted (from a
  //        Friday with a normal weekend, n = 1 is the next Monday; from a
  //        holiday, n = 1 is the first working day after it, like n = 0).
  // n < 0: the |n|-th working day before start, start not counted.
  // |n| is clamped to kMaxWorkingDaysStep.
  Date add_working_days(Date start, int n) const;

  // Working days d with from < d <= to (to >= from), so that
  // working_days_between(s, add_working_days(s, n)) == n for n >= 1;
  // when to < from, minus the count for (to, from].
  int working_days_between(Date from, Date to) const;

  // Whether the file holds that year's official schedule: judged by its
  // statutory fixed-date holidays, 1 January (元旦) and 1 October (国庆节),
  // both listed as `holiday` — every yearly notice includes both.
  bool covers(int year) const;

  // The holiday's or make-up day's name from the file; empty when not listed.
  std::string_view day_name(Date d) const;

  struct Day {
    int32_t days;      // Date::days()
    bool working;      // true: make-up working day (workday); false: holiday
    std::string name;
  };
  const std::vector<Day>& listed_days() const { return days_; }  // sorted by date

 private:
  const Day* find(Date d) const;
  std::vector<Day> days_;
};

}  // namespace zizhu
