// One roster row (学生名册) checked against identify.md. Shared by the
// identification run and by `zizhu import students`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.h"
#include "io/header_map.h"
#include "io/table.h"

namespace zizhu::identify {

// A checked roster row. Views point into the row's cells or into `buffer`
// (for the upper-cased final x), valid until the next row is read.
struct StudentRow {
  std::string_view student_no;  // final x upper-cased
  uint64_t no_key = 0;          // student_no_key(student_no)
  std::string_view name;
  std::string_view id_number;   // as given (final x upper-cased); may be empty or fail validation
  char gender = 0;              // 0 not given, 'M' 男, 'F' 女
  std::optional<Date> birth_date;
  std::string_view school_code;
  int grade = 0;
  std::string_view class_name;
  bool boarding = false;
  std::string_view guardian_name;
  std::string_view guardian_id;  // a valid guardian ID (x upper-cased), or empty when absent or unusable
  uint64_t guardian_key = 0;     // resident_id_key(guardian_id) when guardian_id is not empty
  std::string_view bank_card;
  char buffer[3][20];           // room for upper-cased copies
};

// Where a row failed: the column (index into kStudentColumns) and the reason.
struct RowFault {
  int column = -1;
  std::string_view reason;
};

// Checks the fields in the order of identify.md's table; the first fault wins.
// Duplicates (DUPLICATE_STUDENT_NO) are judged by the caller over all rows.
bool check_student_row(const io::Row& row, const io::HeaderMap& columns, Date reference, StudentRow& out,
                       RowFault& fault);

}  // namespace zizhu::identify
