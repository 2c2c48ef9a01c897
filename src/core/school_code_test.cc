// 学校标识码: exactly 10 ASCII digits.
#include "core/school_code.h"

#include <string>

#include <gtest/gtest.h>

namespace zizhu {
namespace {

TEST(SchoolCode, TenAsciiDigits) {
  EXPECT_TRUE(school_code_valid("1621221001"));
  EXPECT_TRUE(school_code_valid("0000000000"));
  EXPECT_TRUE(school_code_valid("9999999999"));
  for (size_t n = 0; n <= 20; ++n) {
    EXPECT_EQ(school_code_valid(std::string(n, '1')), n == 10) << n;
  }
}

TEST(SchoolCode, EveryPlaceMustBeADigit) {
  for (size_t pos = 0; pos < 10; ++pos) {
    for (char c : {'/', ':', 'a', 'A', 'X', ' ', '-', '.', '\0', '\xEF'}) {
      std::string s = "1621221001";
      s[pos] = c;
      EXPECT_FALSE(school_code_valid(s)) << pos << " " << static_cast<int>(c);
    }
  }
  EXPECT_FALSE(school_code_valid("１621221001"));  // full-width digit (3 bytes)
  EXPECT_FALSE(school_code_valid("162122100"));
  EXPECT_FALSE(school_code_valid("16212210011"));
  EXPECT_FALSE(school_code_valid(" 1621221001"));
  EXPECT_FALSE(school_code_valid("1.621221e9"));
}

}  // namespace
}  // namespace zizhu
