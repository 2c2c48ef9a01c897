#include "core/calendar.h"

#include <algorithm>
#include <fstream>

namespace zizhu {

namespace {

constexpr std::string_view kHeader[] = {"date", "kind", "name"};

bool is_weekend(Date d) { return d.weekday() >= 6; }

// Weekdays (Mon-Fri) among the days up to and including `x`, counted from a
// fixed Monday; only differences are used, so the origin does not matter.
int64_t weekday_prefix(int32_t x) {
  constexpr int64_t kMonday = 4;  // 1970-01-05 was a Monday
  const int64_t t = static_cast<int64_t>(x) - kMonday;
  int64_t weeks = t / 7;
  int64_t r = t % 7;
  if (r < 0) {
    r += 7;
    weeks -= 1;
  }
  return weeks * 5 + std::min<int64_t>(r + 1, 5);
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Splits one CSV line (RFC 4180 quoting within the line). False on an
// unterminated quote or text after a closing quote.
bool split_line(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  size_t i = 0;
  for (;;) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      if (i < line.size() && line[i] != ',') return false;
    } else {
      while (i < line.size() && line[i] != ',') field += line[i++];
    }
    out.emplace_back(trim(field));
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

// YYYY-MM-DD only: the file is written by people for programs, one form is clearer.
std::optional<Date> parse_iso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  return parse_date(s);
}

}  // namespace

Result<WorkCalendar> WorkCalendar::load(const std::string& csv_path) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) {
    return fail("IO", csv_path + ": 无法读取节假日文件 (cannot read the calendar file)", Location{csv_path, 0, ""});
  }
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) {
      return fail("CALENDAR", csv_path + ": 节假日文件过大 (calendar file larger than 1 MiB)",
                  Location{csv_path, 0, ""});
    }
  }
  if (in.bad()) {
    return fail("IO", csv_path + ": 无法读取节假日文件 (cannot read the calendar file)", Location{csv_path, 0, ""});
  }
  return parse(text, csv_path);
}

Result<WorkCalendar> WorkCalendar::parse(std::string_view text, const std::string& name) {
  auto bad = [&name](long row, std::string_view column, const std::string& what) {
    std::string msg = name + ":" + std::to_string(row);
    if (!column.empty()) msg += ": " + std::string(column);
    msg += ": " + what;
    return fail("CALENDAR", std::move(msg), Location{name, row, std::string(column)});
  };
  if (text.size() > kMaxFileBytes) return bad(0, "", "节假日文件过大 (calendar file larger than 1 MiB)");
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  WorkCalendar cal;
  std::vector<std::string> fields;
  std::vector<long> rows;  // file row of each entry of cal.days_
  long row = 0;
  bool header_seen = false;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++row;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!split_line(line, fields)) return bad(row, "", "引号不成对 (unbalanced quote)");
    const bool blank = std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); });
    if (!header_seen) {
      if (fields.size() < 3 || fields[0] != kHeader[0] || fields[1] != kHeader[1] || fields[2] != kHeader[2]) {
        return bad(row, "", "表头应为 date,kind,name (header must be date,kind,name)");
      }
      header_seen = true;
      continue;
    }
    if (blank) continue;  // empty lines may separate the years
    fields.resize(std::max<size_t>(fields.size(), 3));
    const auto date = parse_iso(fields[0]);
    if (!date) return bad(row, "date", "日期应为 YYYY-MM-DD 且真实存在 (bad date '" + fields[0] + "')");
    bool working = false;
    if (fields[1] == "holiday") {
      working = false;
    } else if (fields[1] == "workday") {
      working = true;
      if (!is_weekend(*date)) {
        return bad(row, "kind", "调休上班日必须是周六或周日 (a workday must be a Saturday or Sunday: " + fields[0] + ")");
      }
    } else {
      return bad(row, "kind", "类型应为 holiday 或 workday (kind must be holiday or workday, got '" + fields[1] + "')");
    }
    cal.days_.push_back(Day{date->days(), working, std::move(fields[2])});
    rows.push_back(row);
  }
  if (!header_seen) return bad(1, "", "文件为空，缺少表头 date,kind,name (empty file, header missing)");
  // Sort by date (rows are usually in order already) and refuse a date listed
  // twice, naming the first row, in file order, that repeats an earlier one.
  std::vector<size_t> order(cal.days_.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&cal](size_t a, size_t b) { return cal.days_[a].days < cal.days_[b].days; });
  long dup_row = 0;
  size_t dup_index = 0;
  for (size_t k = 1; k < order.size(); ++k) {
    if (cal.days_[order[k]].days == cal.days_[order[k - 1]].days && (dup_row == 0 || rows[order[k]] < dup_row)) {
      dup_row = rows[order[k]];
      dup_index = order[k];
    }
  }
  if (dup_row != 0) {
    return bad(dup_row, "date",
               "日期重复 (date listed twice: " + Date::from_days(cal.days_[dup_index].days).iso() + ")");
  }
  std::vector<Day> sorted;
  sorted.reserve(order.size());
  for (size_t k : order) sorted.push_back(std::move(cal.days_[k]));
  cal.days_ = std::move(sorted);
  return cal;
}

const WorkCalendar::Day* WorkCalendar::find(Date d) const {
  auto it = std::lower_bound(days_.begin(), days_.end(), d.days(),
                             [](const Day& day, int32_t v) { return day.days < v; });
  return (it != days_.end() && it->days == d.days()) ? &*it : nullptr;
}

bool WorkCalendar::is_working_day(Date d) const {
  if (const Day* day = find(d)) return day->working;
  return !is_weekend(d);
}

std::string_view WorkCalendar::day_name(Date d) const {
  const Day* day = find(d);
  return day ? std::string_view(day->name) : std::string_view();
}

Date WorkCalendar::add_working_days(Date start, int n) const {
  n = std::clamp(n, -kMaxWorkingDaysStep, kMaxWorkingDaysStep);
  Date d = start;
  if (n == 0) {
    // Bounded: no real schedule has more than a few weeks without a working day.
    while (!is_working_day(d)) d = d.plus_days(1);
    return d;
  }
  const int32_t step = n > 0 ? 1 : -1;
  int remaining = n > 0 ? n : -n;
  while (remaining > 0) {
    d = d.plus_days(step);
    if (is_working_day(d)) --remaining;
  }
  return d;
}

int WorkCalendar::working_days_between(Date from, Date to) const {
  if (to < from) return -working_days_between(to, from);
  int64_t count = weekday_prefix(to.days()) - weekday_prefix(from.days());
  auto first = std::upper_bound(days_.begin(), days_.end(), from.days(),
                                [](int32_t v, const Day& day) { return v < day.days; });
  auto last = std::upper_bound(days_.begin(), days_.end(), to.days(),
                               [](int32_t v, const Day& day) { return v < day.days; });
  for (auto it = first; it != last; ++it) {
    const bool weekend = is_weekend(Date::from_days(it->days));
    if (it->working && weekend) ++count;
    if (!it->working && !weekend) --count;
  }
  return static_cast<int>(count);
}

bool WorkCalendar::covers(int year) const {
  const auto jan1 = Date::from_ymd(year, 1, 1);
  const auto oct1 = Date::from_ymd(year, 10, 1);
  if (!jan1 || !oct1) return false;
  const Day* a = find(*jan1);
  const Day* b = find(*oct1);
  return a && !a->working && b && !b->working;
}

}  // namespace zizhu
