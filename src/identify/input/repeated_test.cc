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

}  // namespace
}  // namespace zizhu::identify
