#include "identify/input/repeated.h"

#include <gtest/gtest.h>

namespace zizhu::identify {
namespace {

TEST(MarkRepeated, EveryCopyIsMarkedTheFirstToo) {
  const std::vector<uint64_t> keys = {5, 7, 5, 9, 7, 7, 1};
  EXPECT_EQ(mark_repeated(keys), (std::vector<uint8_t>{1, 1, 1, 0, 1, 1, 0}));
  EXPECT_TRUE(mark_repeated(std::vector<uint64_t>{}).empty());
  EXPECT_EQ(mark_repeated(std::vector<uint64_t>{3}), (std::vector<uint8_t>{0}));
}

TEST(MarkRepeated, TwoThreadsMarkTheSameAsOne) {
  // Keys repeated within each half, across the halves, and not at all.
  std::vector<uint64_t> keys;
  uint64_t x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    keys.push_back((x >> 33) % 150000);
  }
  const std::vector<uint8_t> one = mark_repeated(keys);
  EXPECT_EQ(mark_repeated(keys, 2), one);
  EXPECT_EQ(mark_repeated(keys, 1), one);
  size_t marked = 0;
  for (uint8_t m : one) marked += m;
  EXPECT_GT(marked, 0u);
  EXPECT_LT(marked, keys.size());
  EXPECT_EQ(mark_repeated(std::vector<uint64_t>{}, 2), std::vector<uint8_t>{});
}

}  // namespace
}  // namespace zizhu::identify
