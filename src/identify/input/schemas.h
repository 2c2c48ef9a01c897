// The columns of identify.md's five input files, in the order of its tables:
// that order is also the order in which a row's fields are checked, so the
// first fault found is the one reported.
#pragma once

#include <array>

#include "io/header_map.h"

namespace zizhu::identify {

namespace students_col {
enum : int { kStudentNo, kName, kIdNumber, kGender, kBirthDate, kSchoolCode, kGrade, kClass, kBoarding,
             kGuardianName, kGuardianId, kBankCard, kCount };
}
inline constexpr std::array<io::ColumnSpec, students_col::kCount> kStudentColumns = {{
    {"学籍号", "student_no", true},
    {"姓名", "name", true},
    {"身份证号", "id_number", false},
    {"性别", "gender", false},
    {"出生日期", "birth_date", false},
    {"学校标识码", "school_code", true},
    {"年级", "grade", true},
    {"班级", "class", false},
    {"是否寄宿", "boarding", false},
    {"监护人姓名", "guardian_name", false},
    {"监护人身份证号", "guardian_id_number", false},
    {"银行卡号", "bank_card", false},
}};

namespace lists_col {
enum : int { kIdNumber, kName, kCategory, kValidFrom, kValidTo, kSource, kCount };
}
inline constexpr std::array<io::ColumnSpec, lists_col::kCount> kListColumns = {{
    {"身份证号", "id_number", true},
    {"姓名", "name", false},
    {"类别", "category", true},
    {"有效期起", "valid_from", false},
    {"有效期止", "valid_to", false},
    {"来源部门", "source", false},
}};

namespace applications_col {
enum : int { kStudentNo, kHouseholdSize, kHouseholdIncome, kClaimed, kSeriousIllness, kSuddenHardship,
             kSingleParent, kSiblings, kCount };
}
inline constexpr std::array<io::ColumnSpec, applications_col::kCount> kApplicationColumns = {{
    {"学籍号", "student_no", true},
    {"家庭人口", "household_size", true},
    {"家庭年收入", "household_income", true},
    {"申报类别", "claimed_categories", false},
    {"家庭成员重病", "serious_illness", false},
    {"突发变故", "sudden_hardship", false},
    {"单亲家庭", "single_parent", false},
    {"在校子女数", "siblings_in_school", false},
}};

namespace history_col {
enum : int { kStudentNo, kIdNumber, kSchoolCode, kSchoolYear, kProgram, kAmount, kCount };
}
// 学籍号 and 身份证号: one of the two columns must exist (checked by the loader).
inline constexpr std::array<io::ColumnSpec, history_col::kCount> kHistoryColumns = {{
    {"学籍号", "student_no", false},
    {"身份证号", "id_number", false},
    {"学校标识码", "school_code", true},
    {"学年", "school_year", true},
    {"项目", "program", false},
    {"金额", "amount", false},
}};

namespace budgets_col {
enum : int { kSchoolCode, kBudget, kCount };
}
inline constexpr std::array<io::ColumnSpec, budgets_col::kCount> kBudgetColumns = {{
    {"学校标识码", "school_code", true},
    {"预算金额", "budget", true},
}};

}  // namespace zizhu::identify
