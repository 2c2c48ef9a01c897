// Bank cards: 12–19 ASCII digits; the Luhn check is only a warning.
#include "core/bank_card.h"

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace zizhu {
namespace {

TEST(BankCard, TwelveToNineteenDigits) {
  for (size_t n = 0; n <= 30; ++n) {
    EXPECT_EQ(bank_card_valid(std::string(n, '6')), n >= 12 && n <= 19) << n;
  }
  EXPECT_FALSE(bank_card_valid("12345678901"));           // 11
  EXPECT_TRUE(bank_card_valid("123456789012"));           // 12
  EXPECT_TRUE(bank_card_valid("1234567890123456789"));    // 19
  EXPECT_FALSE(bank_card_valid("12345678901234567890"));  // 20
}

TEST(BankCard, EveryPlaceMustBeADigit) {
  for (size_t pos = 0; pos < 19; ++pos) {
    for (char c : {'/', ':', 'a', 'X', ' ', '-', '\0', '\xEF'}) {
      std::string s = "6222021234567890123";
      s[pos] = c;
      EXPECT_FALSE(bank_card_valid(s)) << pos << " " << static_cast<int>(c);
    }
  }
  EXPECT_FALSE(bank_card_valid("6222 0212 3456 7890"));
  EXPECT_FALSE(bank_card_valid("６222021234567890123"));  // full-width digit
  EXPECT_FALSE(bank_card_valid("6.22202123456789e18"));
}

// Validity does not depend on Luhn: a card failing it is still a card.
TEST(BankCard, LuhnDoesNotDecideValidity) {
  int luhn_passes = 0;
  for (char last = '0'; last <= '9'; ++last) {
    const std::string card = std::string("622202123456789012") + last;
    EXPECT_TRUE(bank_card_valid(card)) << card;
    luhn_passes += luhn_valid(card) ? 1 : 0;
  }
  EXPECT_EQ(luhn_passes, 1);
}

TEST(Luhn, SpecTestVectors) {
  const std::string path = std::string(ZIZHU_SPEC_DIR) + "/testdata/bank-cards.csv";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("number,luhn", 0), 0u) << line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t a = line.find(',');
    const size_t b = line.find(',', a + 1);
    ASSERT_NE(b, std::string::npos) << line;
    const std::string number = line.substr(0, a);
    const std::string expected = line.substr(a + 1, b - a - 1);
    ASSERT_TRUE(expected == "pass" || expected == "fail") << line;
    EXPECT_EQ(luhn_valid(number), expected == "pass") << line;
    ++rows;
  }
  EXPECT_GE(rows, 4);
}

TEST(Luhn, KnownValues) {
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_FALSE(luhn_valid("79927398710"));
  EXPECT_TRUE(luhn_valid("0"));
  EXPECT_TRUE(luhn_valid("00000000000000000000"));
  EXPECT_TRUE(luhn_valid("18"));   // 1*2 + 8
  EXPECT_TRUE(luhn_valid("59"));   // 5*2 = 10 → 1, + 9
  EXPECT_FALSE(luhn_valid("1"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("4992a39871"));
  EXPECT_FALSE(luhn_valid("49927398716 "));
  EXPECT_FALSE(luhn_valid("４9927398716"));
  // Long input cannot overflow the running sum.
  EXPECT_TRUE(luhn_valid(std::string(100000, '0') + "18"));
  EXPECT_TRUE(luhn_valid(std::string(100000, '9')));   // 50000 pairs of 9 + 9: sum 900000
  EXPECT_FALSE(luhn_valid(std::string(99999, '9')));   // 899991
}

// Exactly one final digit completes a Luhn number, and every single-digit
// substitution breaks it; every adjacent swap does too, except 09 ↔ 90.
TEST(Luhn, DetectsSingleErrorsAndMostSwaps) {
  uint64_t state = 5;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<char>('0' + (state >> 33) % 10);
  };
  for (int n = 0; n < 500; ++n) {
    std::string body;
    const size_t length = 11 + static_cast<size_t>(n % 8);  // cards of 12–19 digits
    for (size_t i = 0; i < length; ++i) body += next();
    int completions = 0;
    std::string card;
    for (char d = '0'; d <= '9'; ++d) {
      if (luhn_valid(body + d)) {
        ++completions;
        card = body + d;
      }
    }
    ASSERT_EQ(completions, 1) << body;
    ASSERT_TRUE(bank_card_valid(card));
    for (size_t pos = 0; pos < card.size(); ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == card[pos]) continue;
        std::string bad = card;
        bad[pos] = d;
        EXPECT_FALSE(luhn_valid(bad)) << card << " → " << bad;
      }
      if (pos + 1 < card.size() && card[pos] != card[pos + 1]) {
        std::string bad = card;
        std::swap(bad[pos], bad[pos + 1]);
        const bool zero_nine = (card[pos] == '0' && card[pos + 1] == '9') || (card[pos] == '9' && card[pos + 1] == '0');
        EXPECT_EQ(luhn_valid(bad), zero_nine) << card << " → " << bad;
      }
    }
  }
}

}  // namespace
}  // namespace zizhu
