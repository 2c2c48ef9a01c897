// 学校标识码: the 10-digit school identification code of the Ministry of Education.
#pragma once

#include <string_view>

namespace zizhu {
bool school_code_valid(std::string_view s);  // exactly 10 ASCII digits
}
