#include "io/trim.h"

#include <gtest/gtest.h>

namespace zizhu::io {
namespace {

TEST(Trim, AsciiWhiteSpaceBothEnds) {
  EXPECT_EQ(trim(" \t\r\n\v\fab c \t\r\n\v\f"), "ab c");
  EXPECT_EQ(trim("abc"), "abc");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t "), "");
}

TEST(Trim, IdeographicSpace) {
  EXPECT_EQ(trim("\xE3\x80\x80张三\xE3\x80\x80"), "张三");
  EXPECT_EQ(trim("\xE3\x80\x80 \t\xE3\x80\x80张 三\t\xE3\x80\x80 "), "张 三");
  EXPECT_EQ(trim("\xE3\x80\x80"), "");
}

TEST(Trim, OtherSpacesKept) {
  EXPECT_EQ(trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");  // U+00A0 is not in the spec's list
  EXPECT_EQ(trim("\xE3\x80"), "\xE3\x80");                     // a cut U+3000 is not one
}

}  // namespace
}  // namespace zizhu::io
