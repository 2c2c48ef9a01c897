#include "core/fen.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace zizhu {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(ParseYuan, Accepts) {
  const struct {
    const char* text;
    int64_t fen;
  } cases[] = {
      {"12000", 1200000},
      {"12000.5", 1200050},
      {"12,000.50", 1200050},
      {"12,000", 1200000},
      {"0", 0},
      {"0.00", 0},
      {"0.0", 0},
      {"0.01", 1},
      {"0.1", 10},
      {"1,234,567.89", 123456789},
      {"007", 700},
      {"000012.30", 1230},
      {"999", 99900},
      {"1,000", 100000},
      {"123,456", 12345600},
      {"92233720368547758.07", kMax},
      {"92,233,720,368,547,758.07", kMax},
  };
  for (const auto& c : cases) {
    auto got = parse_yuan(c.text);
    ASSERT_TRUE(got.has_value()) << c.text;
    EXPECT_EQ(got->value(), c.fen) << c.text;
  }
}

TEST(ParseYuan, Refuses) {
  const char* cases[] = {
      "1,2345", "12,00", ",100", "100,", "100,,", "1,,000", "12.345", ".5", "5.", "-1", "+1", "1e3", " 1", "1 ",
      "１２",  // full-width digits
      "", ".", ",", "1.2.3", "1,000.", "1234,567", "1,234,56", "12.5a", "0x10", "1_000", "1.-5", "¥100", "1,000,00",
      "92233720368547758.08",      // one fen past int64
      "92233720368547759",         // whole yuan past int64 once in fen
      "99999999999999999999999",   // past int64 while reading digits
      "1,000,000,000,000,000,000,000",
  };
  for (const char* c : cases) EXPECT_FALSE(parse_yuan(c).has_value()) << '"' << c << '"';
  EXPECT_FALSE(parse_yuan(std::string_view("1\0", 2)).has_value());
}

TEST(FormatYuan, Formats) {
  EXPECT_EQ(format_yuan(Fen::from_fen(150000)), "1500.00");
  EXPECT_EQ(format_yuan(Fen()), "0.00");
  EXPECT_EQ(format_yuan(Fen::from_fen(-1230)), "-12.30");
  EXPECT_EQ(format_yuan(Fen::from_fen(5)), "0.05");
  EXPECT_EQ(format_yuan(Fen::from_fen(-5)), "-0.05");
  EXPECT_EQ(format_yuan(Fen::from_fen(kMax)), "92233720368547758.07");
  EXPECT_EQ(format_yuan(Fen::from_fen(kMin)), "-92233720368547758.08");
  char buf[kFormatYuanMax];
  const size_t n = format_yuan(Fen::from_fen(1200050), buf);
  EXPECT_EQ(std::string(buf, n), "12000.50");
}

TEST(FormatYuan, RoundTrips) {
  const int64_t values[] = {0, 1, 9, 10, 99, 100, 101, 150050, 123456789, 1000000000000, kMax - 1, kMax};
  for (int64_t v : values) {
    auto back = parse_yuan(format_yuan(Fen::from_fen(v)));
    ASSERT_TRUE(back.has_value()) << v;
    EXPECT_EQ(back->value(), v);
  }
  // Every fen amount up to 100 yuan, and a stride beyond.
  for (int64_t v = 0; v < 10000; ++v) ASSERT_EQ(parse_yuan(format_yuan(Fen::from_fen(v)))->value(), v);
  for (int64_t v = 10000; v < kMax / 3; v = v * 3 + 7) ASSERT_EQ(parse_yuan(format_yuan(Fen::from_fen(v)))->value(), v);
}

TEST(Fen, CheckedArithmeticAtTheLimits) {
  const Fen max = Fen::from_fen(kMax);
  const Fen min = Fen::from_fen(kMin);
  const Fen one = Fen::from_fen(1);
  EXPECT_FALSE(max.checked_add(one).has_value());
  EXPECT_EQ(max.checked_add(Fen())->value(), kMax);
  EXPECT_EQ(max.checked_sub(one)->value(), kMax - 1);
  EXPECT_FALSE(min.checked_sub(one).has_value());
  EXPECT_FALSE(min.checked_add(Fen::from_fen(-1)).has_value());
  EXPECT_EQ(min.checked_add(max)->value(), -1);
  EXPECT_FALSE(Fen().checked_sub(min).has_value());  // 0 - INT64_MIN
  EXPECT_FALSE(max.checked_mul(2).has_value());
  EXPECT_FALSE(min.checked_mul(-1).has_value());
  EXPECT_EQ(max.checked_mul(-1)->value(), -kMax);
  EXPECT_EQ(Fen::from_fen(kMax / 2).checked_mul(2)->value(), kMax - 1);
  EXPECT_EQ(Fen::from_fen(150000).checked_mul(3)->value(), 450000);
  EXPECT_EQ(Fen::from_fen(200).checked_sub(Fen::from_fen(350))->value(), -150);
  EXPECT_EQ(Fen::from_fen(200).checked_add(Fen::from_fen(350))->value(), 550);
}

TEST(Fen, FromYuanAndOrder) {
  EXPECT_EQ(fen_from_yuan(2000)->value(), 200000);
  EXPECT_FALSE(fen_from_yuan(kMax / 100 + 1).has_value());
  EXPECT_LT(Fen::from_fen(1), Fen::from_fen(2));
  EXPECT_EQ(Fen(), Fen::from_fen(0));
}

}  // namespace
}  // namespace zizhu
