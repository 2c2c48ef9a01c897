#include "app/cycles.h"

#include <gtest/gtest.h>

namespace zizhu::app {
namespace {

// Dates the application window and notices are judged by are China's
// (UTC+8): 16:00 UTC is already the next day there.
TEST(ChinaDate, TurnsAtSixteenHundredUtc) {
  constexpr int64_t kHourMs = 3'600'000;
  EXPECT_EQ(china_date(0).iso(), "1970-01-01");
  EXPECT_EQ(china_date(16 * kHourMs - 1).iso(), "1970-01-01");
  EXPECT_EQ(china_date(16 * kHourMs).iso(), "1970-01-02");
  EXPECT_EQ(china_date(-8 * kHourMs).iso(), "1970-01-01");
  EXPECT_EQ(china_date(-8 * kHourMs - 1).iso(), "1969-12-31");
  // 2026-11-28 16:30 UTC = 2026-11-29 00:30 in Beijing.
  EXPECT_EQ(china_date(1'795'883'400'000).iso(), "2026-11-29");
}

}  // namespace
}  // namespace zizhu::app
