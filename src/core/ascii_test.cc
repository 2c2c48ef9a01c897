#include "core/ascii.h"

#include <gtest/gtest.h>

namespace zizhu {
namespace {

TEST(Ascii, FoldsOnlyAsciiLetters) {
  EXPECT_TRUE(ascii_iequals("Student_No", "student_no"));
  EXPECT_TRUE(ascii_iequals("TRUE", "true"));
  EXPECT_FALSE(ascii_iequals("true", "tru"));
  EXPECT_FALSE(ascii_iequals("学籍号", "学籍"));
  EXPECT_FALSE(ascii_iequals("[", "{"));  // '[' is not 'A'+26 folded
  EXPECT_TRUE(ascii_iends_with("名册.XLSX", ".xlsx"));
  EXPECT_TRUE(ascii_iends_with("a.Csv", ".csv"));
  EXPECT_FALSE(ascii_iends_with("csv", ".csv"));
  EXPECT_FALSE(ascii_iends_with("a.csv.bak", ".csv"));
}

}  // namespace
}  // namespace zizhu
