#include "store/sqlite/student_rows.h"

#include <utility>
#include <vector>

#include "core/date.h"
#include "core/masking.h"
#include "store/sqlite/repo_util.h"
#include "store/sqlite/sensitive_columns.h"

namespace zizhu::store::sqlite {

using repo::corrupt;

namespace {

Result<std::optional<Gender>> read_gender(const Connection& db, const Statement& stmt, int column) {
  auto gender = stmt.opt_text_at(column);
  if (!gender) return std::optional<Gender>();
  if (*gender == "M") return std::optional<Gender>(Gender::kMale);
  if (*gender == "F") return std::optional<Gender>(Gender::kFemale);
  return tl::unexpected(corrupt(db, "student.gender = '" + *gender + "'"));
}

std::optional<std::string> masked_or_null(const std::optional<SensitiveText>& value,
                                          std::string (*mask)(std::string_view)) {
  if (!value) return std::nullopt;
  return mask(value->plain());
}

}  // namespace


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
  auto gender = read_gender(db, stmt, 4);
  if (!gender) return tl::unexpected(gender.error());
  s.data.gender = *gender;
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

Result<StudentListing> read_student_listing(const Connection& db, const SensitiveCodec& codec,
                                            const Statement& stmt) {
  StudentListing s;
  s.id = stmt.int_at(0);
  s.name = stmt.text_at(2);
  auto gender = read_gender(db, stmt, 4);
  if (!gender) return tl::unexpected(gender.error());
  s.gender = *gender;
  s.school_id = stmt.int_at(5);
  s.grade = static_cast<int>(stmt.int_at(6));
  s.class_name = stmt.text_at(7);
  s.boarding = stmt.int_at(8) != 0;
  s.guardian_name = stmt.text_at(9);
  s.guardian_id = stmt.opt_int_at(10);
  if (!stmt.is_null(1)) {
    s.student_no_masked = stmt.text_at(1);
    s.id_number_masked = stmt.opt_text_at(3);
    s.bank_card_masked = stmt.opt_text_at(11);
    return s;
  }
  // A row from before migration 4 that fill_masked_forms has not reached:
  // the masked forms from the sealed values (slower, same result).
  auto no = read_sensitive(stmt, 12, codec, SensitiveKind::kStudentNo);
  if (!no) return tl::unexpected(no.error());
  if (!*no) return tl::unexpected(corrupt(db, "student.student_no is NULL"));
  auto id_number = read_sensitive(stmt, 13, codec, SensitiveKind::kResidentId);
  if (!id_number) return tl::unexpected(id_number.error());
  auto card = read_sensitive(stmt, 14, codec, SensitiveKind::kBankCard);
  if (!card) return tl::unexpected(card.error());
  s.student_no_masked = mask_student_no((*no)->plain());
  s.id_number_masked = masked_or_null(*id_number, mask_id_number);
  s.bank_card_masked = masked_or_null(*card, mask_bank_card);
  return s;
}

void bind_masked_forms(Statement& stmt, int first_param, const StudentInput& s) {
  stmt.bind_text(first_param, mask_student_no(s.student_no.plain()));
  stmt.bind_opt_text(first_param + 1, masked_or_null(s.id_number, mask_id_number));
  stmt.bind_opt_text(first_param + 2, masked_or_null(s.bank_card, mask_bank_card));
}

Result<int64_t> fill_masked_forms(Connection& db, const SensitiveCodec& codec) {
  // Small transactions: a million old rows fill without holding the write
  // lock for long, and an interruption keeps what was done.
  constexpr int64_t kRowsPerTransaction = 5000;
  int64_t filled = 0;
  {
    // The common case, every row filled: one look at the (empty) partial
    // index, no write lock. The pool opens many connections.
    auto any = db.prepare("SELECT 1 FROM student WHERE student_no_masked IS NULL LIMIT 1");
    if (!any) return tl::unexpected(any.error());
    auto row = any->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return filled;
  }
  for (;;) {
    if (auto ok = db.exec("BEGIN IMMEDIATE"); !ok) return tl::unexpected(ok.error());
    auto batch = [&]() -> Result<int64_t> {
      auto select = db.prepare(
          "SELECT id, student_no, id_number, bank_card FROM student WHERE student_no_masked IS NULL"
          " ORDER BY id LIMIT ?");
      if (!select) return tl::unexpected(select.error());
      select->bind_int(1, kRowsPerTransaction);
      // Read first, then write: the updates take rows out of the partial
      // index the SELECT walks, which SQLite leaves undefined mid-walk.
      std::vector<std::pair<int64_t, StudentInput>> rows;
      for (;;) {
        auto row = select->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) break;
        StudentInput plain;
        auto no = read_sensitive(*select, 1, codec, SensitiveKind::kStudentNo);
        if (!no) return tl::unexpected(no.error());
        if (!*no) return tl::unexpected(corrupt(db, "student.student_no is NULL"));
        plain.student_no = std::move(**no);
        auto id_number = read_sensitive(*select, 2, codec, SensitiveKind::kResidentId);
        if (!id_number) return tl::unexpected(id_number.error());
        plain.id_number = std::move(*id_number);
        auto card = read_sensitive(*select, 3, codec, SensitiveKind::kBankCard);
        if (!card) return tl::unexpected(card.error());
        plain.bank_card = std::move(*card);
        rows.emplace_back(select->int_at(0), std::move(plain));
      }
      for (const auto& [id, plain] : rows) {
        // One use of the cached statement per row (a use resets it).
        auto update = db.prepare(
            "UPDATE student SET student_no_masked = ?1, id_number_masked = ?2, bank_card_masked = ?3 WHERE id = ?4");
        if (!update) return tl::unexpected(update.error());
        bind_masked_forms(*update, 1, plain);
        update->bind_int(4, id);
        if (auto ok = update->run(); !ok) return tl::unexpected(ok.error());
      }
      return static_cast<int64_t>(rows.size());
    }();
    if (!batch) {
      (void)db.exec("ROLLBACK");
      return tl::unexpected(batch.error());
    }
    if (auto ok = db.exec("COMMIT"); !ok) return tl::unexpected(ok.error());
    filled += *batch;
    if (*batch < kRowsPerTransaction) return filled;
  }
}

}  // namespace zizhu::store::sqlite
