// Reading a student row: the one reader of the student table's columns, for
// every query that returns students (sqlite_store.cc, students_repo.cc).
#pragma once

#include <string_view>

#include "core/error.h"
#include "store/records.h"
#include "store/sensitive.h"
#include "store/sqlite/db.h"

namespace zizhu::store::sqlite {

// The columns read_student_row reads, in its order, for `SELECT ... FROM student st`.
inline constexpr std::string_view kStudentColumns =
    "st.id, st.student_no, st.name, st.id_number, st.gender, st.birth_date, st.school_id, st.grade,"
    " st.class_name, st.boarding, st.guardian_name, st.guardian_id, st.bank_card";

// Decodes the sealed columns through `codec`; a value the schema forbids is a
// corrupt-database error naming the file.
Result<Student> read_student_row(const Connection& db, const SensitiveCodec& codec, const Statement& stmt);

}  // namespace zizhu::store::sqlite
