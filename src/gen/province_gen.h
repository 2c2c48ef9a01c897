// A seeded generator of a realistic province for the identification run
// (shared/spec/identify.md): roster, departments' lists, applications, history
// and budgets as UTF-8 CSV with Chinese headers, for policy-default.toml's
// categories and reference date. The same options give the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"

namespace zizhu::gen {

struct GenOptions {
  uint64_t students = 2000000;
  uint64_t seed = 1;
  std::string out_dir;
  // Share of rows (in percent, 0-100) given a bad value of some reject kind or
  // flag; 0 gives clean data.
  uint32_t dirty_percent = 1;
  uint32_t students_per_school = 500;
  // The counties the schools are spread over (six-digit codes), round robin;
  // empty means every county of GB/T 2260 (a whole country's spread). The demo
  // gives one or two counties.
  std::vector<uint32_t> counties;
};

struct GenSummary {
  uint64_t students = 0;
  uint64_t schools = 0;
  uint64_t list_entries = 0;
  uint64_t applications = 0;
  uint64_t history_rows = 0;
  uint64_t budget_rows = 0;
  uint64_t bytes = 0;
};

// Writes OUT/students.csv, lists.csv, applications.csv, history.csv, budgets.csv,
// and schools.csv (学校标识码,学校名称,区县代码,学段: the `zizhu import schools`
// format) for every school of the roster.
Result<GenSummary> generate_province(const GenOptions& options);

// The GB 11643 check character of the 17 digits `first17` (as a number).
char id_check_char(uint64_t first17);

// The Luhn check digit for `digits` (the card number without its last digit).
int luhn_check_digit(uint64_t digits);

}  // namespace zizhu::gen
