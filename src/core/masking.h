// Masked display of personal data (aid-cycle.md, Privacy): what every list and
// detail shows unless a user with the reveal permission asks, and what the
// public announcement shows of a name. Works on UTF-8 code points, never
// splitting a character.
#pragma once

#include <string>
#include <string_view>

namespace zizhu {

// 110101200001011234 → 110101********1234 (first 6, last 4). Shorter values
// keep at most their first and last quarter.
std::string mask_id_number(std::string_view id);
// A 学籍号: G + resident ID masks like the ID after the G; other forms keep
// their first 4 and last 4 characters.
std::string mask_student_no(std::string_view student_no);
// 6222021234567890123 → 6222 **** **** 0123 (first 4, last 4).
std::string mask_bank_card(std::string_view card);
// `text` with every 学籍号 in it (G + 17 digits + digit or X, J or L + 18
// digits) replaced by its mask_student_no form: for texts written for people
// (an explanation) that are kept where plain IDs may not be.
std::string mask_student_numbers_in(std::string_view text);
// 13812345678 → 138****5678.
std::string mask_phone(std::string_view phone);
// 张小明 → 张*明, 张明 → 张*, 欧阳小明 → 欧**明; one character stays as it is.
std::string mask_name(std::string_view name);

}  // namespace zizhu
