#include "identify/input/fields.h"

#include <gtest/gtest.h>

namespace zizhu::identify {
namespace {

TEST(Fields, BooleansInEverySpelling) {
  for (const char* yes : {"是", "Y", "y", "1", "true", "TRUE", "True"}) EXPECT_EQ(parse_boolean(yes), true) << yes;
  for (const char* no : {"否", "N", "n", "0", "false", "FALSE", ""}) EXPECT_EQ(parse_boolean(no), false) << no;
  for (const char* bad : {"yes", "no", "2", "是的", "t", "f", "真", " 1"}) EXPECT_FALSE(parse_boolean(bad)) << bad;
}

TEST(Fields, CountsAreAsciiDigitsWithLeadingZeros) {
  EXPECT_EQ(parse_count("03", 9), 3);
  EXPECT_EQ(parse_count("30", 30), 30);
  EXPECT_FALSE(parse_count("31", 30));
  EXPECT_FALSE(parse_count("", 9));
  EXPECT_FALSE(parse_count("-1", 9));
  EXPECT_FALSE(parse_count("+1", 9));
  EXPECT_FALSE(parse_count("3a", 9));
  EXPECT_FALSE(parse_count("３", 9));  // full-width
  EXPECT_FALSE(parse_count("99999999999999999999999", 30));  // no overflow
  EXPECT_EQ(parse_count("0000000000000000000000005", 9), 5);
}

TEST(Fields, DateCellsFollowTheirType) {
  EXPECT_EQ(parse_date_cell({"2026-09-01", io::CellType::kText})->iso(), "2026-09-01");
  EXPECT_EQ(parse_date_cell({"2026-09-01", io::CellType::kDate})->iso(), "2026-09-01");
  // A plain XLSX number in a date column is not a date, whatever its digits.
  EXPECT_FALSE(parse_date_cell({"20260901", io::CellType::kNumber}));
  EXPECT_EQ(parse_date_cell({"20260901", io::CellType::kText})->iso(), "2026-09-01");
  EXPECT_FALSE(parse_date_cell({"true", io::CellType::kBool}));
}

TEST(Fields, FinalXUpperCased) {
  char buf[32];
  EXPECT_EQ(upper_final_x("G44011320141005001x", buf), "G44011320141005001X");
  EXPECT_EQ(upper_final_x("G44011320141005001X", buf), "G44011320141005001X");
  EXPECT_EQ(upper_final_x("xx", buf), "xX");
  EXPECT_EQ(upper_final_x("", buf), "");
}

}  // namespace
}  // namespace zizhu::identify
