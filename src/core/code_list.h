// Lists of codes (policy categories, flags) kept as one text joined by ';',
// as results.csv writes them and the database stores them. Codes are ASCII
// letters, digits and '_': never a ';'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zizhu {

std::string join_codes(const std::vector<std::string>& codes);
// "" gives no codes; "A;B" gives A and B.
std::vector<std::string> split_codes(std::string_view text);

}  // namespace zizhu
