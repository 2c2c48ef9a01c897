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

// The columns read_student_listing reads: the masked forms, then the sealed
// values, which are decoded only for a row whose masked forms are not yet
// written (see fill_masked_forms).
inline constexpr std::string_view kStudentListingColumns =
    "st.id, st.student_no_masked, st.name, st.id_number_masked, st.gender, st.school_id, st.grade,"
    " st.class_name, st.boarding, st.guardian_name, st.guardian_id, st.bank_card_masked,"
    " st.student_no, st.id_number, st.bank_card";
Result<StudentListing> read_student_listing(const Connection& db, const SensitiveCodec& codec,
                                            const Statement& stmt);

// Binds the masked forms of `s` (core/masking.h) to three parameters from
// `first_param`: student_no_masked, id_number_masked, bank_card_masked.
void bind_masked_forms(Statement& stmt, int first_param, const StudentInput& s);

// Writes the masked forms of every student row that lacks them (rows written
// before migration 4), in transactions of a few thousand rows; the number of
// rows filled. Needs the codec the values were sealed with: a value it cannot
// decode stops the fill with that error, the rows before it kept.
Result<int64_t> fill_masked_forms(Connection& db, const SensitiveCodec& codec);

}  // namespace zizhu::store::sqlite
