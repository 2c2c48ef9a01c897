#include "core/masking.h"

#include <gtest/gtest.h>

namespace zizhu {
namespace {

TEST(Masking, IdNumberKeepsRegionAndLastFour) {
  EXPECT_EQ(mask_id_number("11010120000101123X"), "110101********123X");
  EXPECT_EQ(mask_id_number("12345678"), "12******");
}

TEST(Masking, StudentNoWithIdInsideHidesTheBirthDate) {
  EXPECT_EQ(mask_student_no("G11010120000101123X"), "G110101********123X");
  EXPECT_EQ(mask_student_no("L1234567890"), "L123***7890");
}

TEST(Masking, BankCardAndPhone) {
  EXPECT_EQ(mask_bank_card("6222021234567890123"), "6222 **** **** 0123");
  EXPECT_EQ(mask_bank_card("6222 0212 3456 7890 123"), "6222 **** **** 0123");
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
}

TEST(Masking, NamesByCodePoint) {
  EXPECT_EQ(mask_name("张小明"), "张*明");
  EXPECT_EQ(mask_name("张明"), "张*");
  EXPECT_EQ(mask_name("欧阳小明"), "欧**明");
  EXPECT_EQ(mask_name("张"), "张");
  EXPECT_EQ(mask_name(""), "");
}

TEST(Masking, StudentNumbersInsideAText) {
  EXPECT_EQ(mask_student_numbers_in("学籍号 G62010220150301001X 姓名 张三，另见 J620102201500000001。"),
            "学籍号 G620102********001X 姓名 张三，另见 J620***********0001。");
  // Not a 学籍号: too short, or part of a longer number.
  EXPECT_EQ(mask_student_numbers_in("G6201022015030100"), "G6201022015030100");
  EXPECT_EQ(mask_student_numbers_in("G6201022015030100123"), "G6201022015030100123");
  EXPECT_EQ(mask_student_numbers_in(""), "");
}

}  // namespace
}  // namespace zizhu
