#include "io/encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace zizhu::io {
namespace {

TEST(Utf8, ValidAndInvalid) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("abc"));
  EXPECT_TRUE(is_valid_utf8("学籍号,姓名\n𠀀𪚥"));
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\x80"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("\xE5\xAD"));  // cut off at the end
  EXPECT_FALSE(is_valid_utf8("\xD1\xA7\xBC\xAE"));  // 学籍 in GB18030
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"));
}

TEST(Utf8, LongTextFastPathAndInvalidByteAnywhere) {
  std::string s(1000, 'a');
  s += "中文";
  s += std::string(999, 'b');
  EXPECT_TRUE(is_valid_utf8(s));
  for (size_t i = 0; i < s.size(); i += 37) {
    std::string t = s;
    t[i] = '\xFF';
    EXPECT_FALSE(is_valid_utf8(t)) << i;
  }
}

TEST(Utf8Validator, SequencesSplitAcrossEveryBlockSize) {
  const std::string s = "ab学籍号𠀀c\xC3\xA9" + std::string(40, 'x') + "𪚥";
  for (size_t block = 1; block <= 9; ++block) {
    Utf8Validator v;
    for (size_t i = 0; i < s.size(); i += block) v.feed(std::string_view(s).substr(i, block));
    EXPECT_TRUE(v.finish()) << block;
    Utf8Validator cut;
    const std::string t = s + "\xE5\xAD";  // unfinished at the end
    for (size_t i = 0; i < t.size(); i += block) cut.feed(std::string_view(t).substr(i, block));
    EXPECT_FALSE(cut.finish()) << block;
    Utf8Validator bad;
    const std::string u = "ab\xE5\xAD" "c";
    for (size_t i = 0; i < u.size(); i += block) bad.feed(std::string_view(u).substr(i, block));
    EXPECT_FALSE(bad.finish()) << block;
  }
}

TEST(Gb18030, ConvertsAndReportsBadBytes) {
  std::string out;
  size_t bad = 0;
  ASSERT_TRUE(gb18030_to_utf8("\xD1\xA7\xBC\xAE\xBA\xC5,\xD0\xD5\xC3\xFB", out, bad));
  EXPECT_EQ(out, "学籍号,姓名");
  // A four-byte GB18030 sequence: U+20000 𠀀 is 95 32 82 36.
  ASSERT_TRUE(gb18030_to_utf8("\x95\x32\x82\x36", out, bad));
  EXPECT_EQ(out, "𠀀");
  EXPECT_FALSE(gb18030_to_utf8("ab\xD1\xA7\xFF\xFF", out, bad));
  EXPECT_EQ(bad, 4u);
  EXPECT_EQ(out, "ab学");
  EXPECT_FALSE(gb18030_to_utf8("ab\xD1", out, bad));  // cut off
  EXPECT_EQ(bad, 2u);
}

}  // namespace
}  // namespace zizhu::io
