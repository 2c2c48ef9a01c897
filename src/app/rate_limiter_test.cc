#include "app/rate_limiter.h"

#include <gtest/gtest.h>

namespace zizhu::app {
namespace {

TEST(RateLimiter, BurstThenRefillPerKey) {
  RateLimiter limiter(60, 3);  // one a second, three at once
  int64_t retry = 0;
  EXPECT_TRUE(limiter.allow("a", 0));
  EXPECT_TRUE(limiter.allow("a", 0));
  EXPECT_TRUE(limiter.allow("a", 0));
  EXPECT_FALSE(limiter.allow("a", 0, &retry));
  EXPECT_EQ(retry, 1);
  EXPECT_TRUE(limiter.allow("b", 0));  // another key has its own bucket
  EXPECT_TRUE(limiter.allow("a", 1000));
  EXPECT_FALSE(limiter.allow("a", 1000));
}

TEST(RateLimiter, ZeroRateAllowsAll) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.allow("a", 0));
}

TEST(RateLimiter, BoundedKeys) {
  RateLimiter limiter(60, 1, 4);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.allow(std::to_string(i), 0));
}

}  // namespace
}  // namespace zizhu::app
