// 学籍号 shapes and keys (identify.md, students table).
#include "core/student_no.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/resident_id.h"

namespace zizhu {
namespace {

TEST(StudentNo, Shapes) {
  EXPECT_EQ(student_no_kind("G11010520160901001X"), StudentNoKind::kG);
  EXPECT_EQ(student_no_kind("G11010520160901001x"), StudentNoKind::kG);  // final x accepted
  EXPECT_EQ(student_no_kind("G110105201609010019"), StudentNoKind::kG);
  EXPECT_EQ(student_no_kind("J110105201609010011"), StudentNoKind::kJ);
  EXPECT_EQ(student_no_kind("L110105201609010011"), StudentNoKind::kL);
  EXPECT_EQ(student_no_kind("J000000000000000000"), StudentNoKind::kJ);
  // The G body is only shaped like an ID, not validated: the roster keeps an
  // invalid ID and flags it (ID_INVALID) rather than reject the row.
  EXPECT_EQ(student_no_kind("G990426199113010074"), StudentNoKind::kG);
}

TEST(StudentNo, OtherShapesAreRejected) {
  for (const char* bad : {
           "g11010520160901001X",   // lower-case prefix
           "j110105201609010011",   // lower-case prefix
           "l110105201609010011",   // lower-case prefix
           "J11010520160901001X",   // J/L: 18 digits, no X
           "L11010520160901001x",   // J/L: 18 digits, no x
           "G1101052016090100X1",   // X only at the end
           "GX10105201609010011",   //
           "G11010520160901001",    // 18 characters
           "J11010520160901001",    // 18 characters
           "G1101052016090100123",  // 20 characters
           "J1101052016090100112",  // 20 characters
           "X110105201609010011",   // another prefix
           "K110105201609010011",   //
           "110105201609010011",    // no prefix
           "1101052016090100110",   // a digit for a prefix
           "",
           "G",
           " G11010520160901001X",
           "G11010520160901001X ",
           "G１1010520160901001X",  // a full-width digit
           "Ｇ11010520160901001X",  // a full-width G
       }) {
    EXPECT_FALSE(student_no_kind(bad)) << bad;
    EXPECT_FALSE(student_no_key(bad)) << bad;
  }
  // Every length but 19.
  for (size_t n = 0; n <= 30; ++n) {
    if (n == 19) continue;
    for (char prefix : {'G', 'J', 'L'}) {
      const std::string s = std::string(1, prefix) + std::string(n > 0 ? n - 1 : 0, '1');
      EXPECT_FALSE(student_no_kind(std::string_view(s).substr(0, n))) << s;
    }
  }
  // A non-digit at every place of the body.
  for (size_t pos = 1; pos < 19; ++pos) {
    for (char prefix : {'G', 'J', 'L'}) {
      for (char c : {'/', ':', 'a', '\xEF', ' '}) {
        std::string s = std::string(1, prefix) + "110105201609010011";
        s[pos] = c;
        EXPECT_FALSE(student_no_kind(s)) << s;
      }
    }
  }
}

TEST(StudentNo, GKeyCarriesTheResidentIdKey) {
  const auto k = student_no_key("G11010520160901001x");
  ASSERT_TRUE(k);
  EXPECT_EQ(*k & ((uint64_t{1} << 60) - 1), *resident_id_key("11010520160901001X"));
  EXPECT_EQ(student_no_key("G11010520160901001x"), student_no_key("G11010520160901001X"));
  EXPECT_EQ(student_no_from_key(*k), "G11010520160901001X");  // normalised: upper-case X
}

TEST(StudentNo, KeysRoundTrip) {
  for (const char* s : {"G000000000000000000", "G99999999999999999X", "G999999999999999999", "J000000000000000000",
                        "J999999999999999999", "L000000000000000000", "L999999999999999999", "G11010520160901001X",
                        "J110105201609010011", "L620102201603040012"}) {
    const auto k = student_no_key(s);
    ASSERT_TRUE(k) << s;
    EXPECT_EQ(student_no_from_key(*k), s);
    EXPECT_EQ(student_no_kind(student_no_from_key(*k)), student_no_kind(s));
  }
}

// A deterministic sample of well-shaped numbers of all three kinds, many of
// them sharing long prefixes: key order must equal the byte order of the
// normalised text.
TEST(StudentNo, KeyOrderIsByteOrderOfNormalisedText) {
  uint64_t state = 42;
  auto next = [&state](uint32_t bound) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>((state >> 33) % bound);
  };
  std::vector<std::string> texts;
  std::vector<uint64_t> keys;
  for (int n = 0; n < 3000; ++n) {
    const char prefix = "GJL"[next(3)];
    std::string s(1, prefix);
    const uint32_t spread = n % 2 == 0 ? 2 : 10;
    for (int i = 0; i < 17; ++i) s += static_cast<char>('0' + next(spread));
    s += prefix == 'G' ? "0123456789Xx"[next(12)] : static_cast<char>('0' + next(10));
    const auto k = student_no_key(s);
    ASSERT_TRUE(k) << s;
    if (s.back() == 'x') s.back() = 'X';
    EXPECT_EQ(student_no_from_key(*k), s);
    texts.push_back(s);
    keys.push_back(*k);
  }
  for (size_t i = 1; i < texts.size(); ++i) {
    EXPECT_EQ(keys[i - 1] < keys[i], texts[i - 1] < texts[i]) << texts[i - 1] << " " << texts[i];
    EXPECT_EQ(keys[i - 1] == keys[i], texts[i - 1] == texts[i]) << texts[i - 1] << " " << texts[i];
  }
  std::sort(texts.begin(), texts.end());
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(student_no_from_key(keys[i]), texts[i]);
  // Across kinds: every G before every J before every L.
  EXPECT_LT(*student_no_key("G99999999999999999X"), *student_no_key("J000000000000000000"));
  EXPECT_LT(*student_no_key("J999999999999999999"), *student_no_key("L000000000000000000"));
}

}  // namespace
}  // namespace zizhu
