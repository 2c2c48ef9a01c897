#include "io/header_map.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace zizhu::io {
namespace {

constexpr std::array<ColumnSpec, 4> kColumns = {{
    {"学籍号", "student_no", true},
    {"姓名", "name", true},
    {"性别", "gender", false},
    {"学校标识码", "school_code", true},
}};

TEST(HeaderMap, ByChineseNameInAnyOrder) {
  const std::vector<std::string> header = {"姓名", "其他", "学校标识码", "学籍号"};
  const HeaderMap m = map_header(header, kColumns);
  EXPECT_EQ(m.position, (std::vector<int>{3, 0, -1, 2}));
  EXPECT_EQ(m.names, (std::vector<std::string>{"学籍号", "姓名", "", "学校标识码"}));
  EXPECT_FALSE(m.first_missing_required.has_value());
}

TEST(HeaderMap, ByEnglishKeyInAnyCase) {
  const std::vector<std::string> header = {"Student_No", "NAME", "gender", "School_Code"};
  const HeaderMap m = map_header(header, kColumns);
  EXPECT_EQ(m.position, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(m.names[0], "Student_No");
  EXPECT_FALSE(m.first_missing_required.has_value());
}

TEST(HeaderMap, ChineseNameMatchesExactlyOnly) {
  const std::vector<std::string> header = {"学籍号码", "姓 名"};
  const HeaderMap m = map_header(header, kColumns);
  EXPECT_EQ(m.position[0], -1);
  EXPECT_EQ(m.position[1], -1);
}

TEST(HeaderMap, FirstOfTwoHeadersWins) {
  const std::vector<std::string> header = {"name", "学籍号", "姓名", "STUDENT_NO", "学校标识码"};
  const HeaderMap m = map_header(header, kColumns);
  EXPECT_EQ(m.position[0], 1);
  EXPECT_EQ(m.position[1], 0);
  EXPECT_EQ(m.names[1], "name");
}

TEST(HeaderMap, FirstMissingRequiredColumn) {
  const std::vector<std::string> header = {"学籍号", "性别"};
  const HeaderMap m = map_header(header, kColumns);
  ASSERT_TRUE(m.first_missing_required.has_value());
  EXPECT_EQ(*m.first_missing_required, 1u);  // 姓名, before 学校标识码
  const std::vector<std::string> none;
  EXPECT_EQ(*map_header(none, kColumns).first_missing_required, 0u);
}

TEST(HeaderMap, OptionalColumnAbsentIsFine) {
  const std::vector<std::string> header = {"学籍号", "姓名", "学校标识码", ""};
  const HeaderMap m = map_header(header, kColumns);
  EXPECT_FALSE(m.first_missing_required.has_value());
  EXPECT_EQ(m.position[2], -1);
}

}  // namespace
}  // namespace zizhu::io
