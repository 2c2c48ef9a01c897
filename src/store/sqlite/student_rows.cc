#include "store/sqlite/student_rows.h"

#include "core/date.h"
#include "store/sqlite/repo_util.h"
#include "store/sqlite/sensitive_columns.h"

namespace zizhu::store::sqlite {

using repo::corrupt;

Result<Student> read_student_row(const Connection& db, const SensitiveCodec& codec, const Statement& stmt) {
  Student s;
  s.id = stmt.int_at(0);
  auto no = read_sensitive(stmt, 1, codec, SensitiveKind::kStudentNo);
  if (!no) return tl::unexpected(no.error());
  if (!*no) return tl::unexpected(corrupt(db, "student.student_no is NULL"));
  s.data.student_no = std::move(**no);
  s.data.name = stmt.text_at(2);
  auto id_number = read_sensitive(stmt, 3, codec, SensitiveKind::kResidentId);
  if (!id_number) return tl::unexpected(id_number.error());
  s.data.id_number = std::move(*id_number);
  if (auto gender = stmt.opt_text_at(4)) {
    if (*gender == "M") {
      s.data.gender = Gender::kMale;
    } else if (*gender == "F") {
      s.data.gender = Gender::kFemale;
    } else {
      return tl::unexpected(corrupt(db, "student.gender = '" + *gender + "'"));
    }
  }
  if (auto birth = stmt.opt_text_at(5)) {
    auto date = parse_date(*birth);
    if (!date) return tl::unexpected(corrupt(db, "student.birth_date = '" + *birth + "'"));
    s.data.birth_date = *date;
  }
  s.data.school_id = stmt.int_at(6);
  s.data.grade = static_cast<int>(stmt.int_at(7));
  s.data.class_name = stmt.text_at(8);
  s.data.boarding = stmt.int_at(9) != 0;
  s.data.guardian_name = stmt.text_at(10);
  s.data.guardian_id = stmt.opt_int_at(11);
  auto card = read_sensitive(stmt, 12, codec, SensitiveKind::kBankCard);
  if (!card) return tl::unexpected(card.error());
  s.data.bank_card = std::move(*card);
  return s;
}

}  // namespace zizhu::store::sqlite
