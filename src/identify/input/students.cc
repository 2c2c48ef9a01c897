#include "identify/input/students.h"

#include "core/bank_card.h"
#include "core/resident_id.h"
#include "core/school_code.h"
#include "core/student_no.h"
#include "identify/input/fields.h"
#include "identify/input/resident_id_read.h"
#include "identify/input/schemas.h"

namespace zizhu::identify {

bool check_student_row(const io::Row& row, const io::HeaderMap& columns, Date reference, StudentRow& out,
                       RowFault& fault) {
  using namespace students_col;
  auto cell = [&](int c) { return cell_at(row, columns.position[static_cast<size_t>(c)]); };
  auto refuse = [&](int c, std::string_view why) {
    fault = RowFault{c, why};
    return false;
  };

  const io::Cell no = cell(kStudentNo);
  if (no.text.empty()) return refuse(kStudentNo, reason::kMissingValue);
  const auto no_key = student_no_key(no.text);  // the shape and the key in one pass
  if (!no_key) return refuse(kStudentNo, reason::kBadStudentNo);
  out.no_key = *no_key;
  out.student_no = upper_final_x(no.text, out.buffer[0]);

  out.name = cell(kName).text;
  if (out.name.empty()) return refuse(kName, reason::kMissingValue);

  const io::Cell id = cell(kIdNumber);
  if (!id.text.empty() && id.type == io::CellType::kNumber) return refuse(kIdNumber, reason::kNumericCell);
  out.id_number = id.text.size() <= sizeof out.buffer[1] ? upper_final_x(id.text, out.buffer[1]) : id.text;

  const std::string_view gender = cell(kGender).text;
  if (gender.empty()) {
    out.gender = 0;
  } else if (gender == "男") {
    out.gender = 'M';
  } else if (gender == "女") {
    out.gender = 'F';
  } else {
    return refuse(kGender, reason::kBadGender);
  }

  const io::Cell birth = cell(kBirthDate);
  out.birth_date.reset();
  if (!birth.text.empty()) {
    out.birth_date = parse_date_cell(birth);
    if (!out.birth_date || *out.birth_date > reference) return refuse(kBirthDate, reason::kBadDate);
  }

  out.school_code = cell(kSchoolCode).text;
  if (out.school_code.empty()) return refuse(kSchoolCode, reason::kMissingValue);
  if (!school_code_valid(out.school_code)) return refuse(kSchoolCode, reason::kBadSchoolCode);

  const std::string_view grade = cell(kGrade).text;
  if (grade.empty()) return refuse(kGrade, reason::kMissingValue);
  const auto g = parse_count(grade, 9);
  if (!g || *g < 1) return refuse(kGrade, reason::kBadGrade);
  out.grade = static_cast<int>(*g);

  out.class_name = cell(kClass).text;

  const auto boarding = parse_boolean(cell(kBoarding).text);
  if (!boarding) return refuse(kBoarding, reason::kBadBoolean);
  out.boarding = *boarding;

  out.guardian_name = cell(kGuardianName).text;

  // An unusable guardian ID (invalid, or an XLSX number) is treated as absent.
  const io::Cell guardian = cell(kGuardianId);
  out.guardian_id = {};
  if (!guardian.text.empty() && guardian.type != io::CellType::kNumber) {
    const ResidentIdFacts facts = read_resident_id(guardian.text, reference.days());
    if (facts.valid) {
      out.guardian_id = upper_final_x(guardian.text, out.buffer[2]);
      out.guardian_key = facts.key;
    }
  }

  const io::Cell card = cell(kBankCard);
  out.bank_card = card.text;
  if (!card.text.empty()) {
    if (card.type == io::CellType::kNumber) return refuse(kBankCard, reason::kNumericCell);
    if (!bank_card_valid(card.text)) return refuse(kBankCard, reason::kBadBankCard);
  }
  return true;
}

}  // namespace zizhu::identify
