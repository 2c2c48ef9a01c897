// Reading single values as identify.md "Reading files" defines them. Every
// function takes a trimmed cell; none allocates.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.h"
#include "io/table.h"

namespace zizhu::identify {

// Reject reasons of identify.md, as written to rejects.csv.
namespace reason {
inline constexpr std::string_view kMissingValue = "MISSING_VALUE";
inline constexpr std::string_view kBadStudentNo = "BAD_STUDENT_NO";
inline constexpr std::string_view kBadSchoolCode = "BAD_SCHOOL_CODE";
inline constexpr std::string_view kBadGrade = "BAD_GRADE";
inline constexpr std::string_view kBadGender = "BAD_GENDER";
inline constexpr std::string_view kBadDate = "BAD_DATE";
inline constexpr std::string_view kBadBoolean = "BAD_BOOLEAN";
inline constexpr std::string_view kBadBankCard = "BAD_BANK_CARD";
inline constexpr std::string_view kBadNumber = "BAD_NUMBER";
inline constexpr std::string_view kBadMoney = "BAD_MONEY";
inline constexpr std::string_view kBadId = "BAD_ID";
inline constexpr std::string_view kUnknownCategory = "UNKNOWN_CATEGORY";
inline constexpr std::string_view kNumericCell = "NUMERIC_CELL";
inline constexpr std::string_view kDuplicateStudentNo = "DUPLICATE_STUDENT_NO";
inline constexpr std::string_view kDuplicateApplication = "DUPLICATE_APPLICATION";
inline constexpr std::string_view kDuplicateSchool = "DUPLICATE_SCHOOL";
}  // namespace reason

// The cell at `position` of a row, or an empty text cell when the row is short
// or the column is absent (position < 0).
io::Cell cell_at(const io::Row& row, int position);

// ASCII digits only (leading zeros allowed); nothing when empty, not digits,
// or above `max`.
std::optional<int64_t> parse_count(std::string_view text, int64_t max);

// 是/否, Y/N, 1/0, true/false (ASCII letters in any case); empty is false.
std::optional<bool> parse_boolean(std::string_view text);

// A date column: text in one of the accepted forms, or an XLSX date cell. A
// plain XLSX number is not a date.
std::optional<Date> parse_date_cell(const io::Cell& cell);

// A final lower-case x upper-cased: how 学籍号 and ID numbers are compared and
// written in every file. Writes into `buffer` (at least text.size() bytes).
std::string_view upper_final_x(std::string_view text, char* buffer);

}  // namespace zizhu::identify
