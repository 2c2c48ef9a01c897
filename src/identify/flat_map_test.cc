#include "identify/flat_map.h"

#include <map>
#include <random>

#include <gtest/gtest.h>

#include "identify/explain.h"

namespace zizhu::identify {
namespace {

TEST(FlatMap, AgreesWithStdMapThroughGrowth) {
  FlatMap m(4);
  std::map<uint64_t, uint32_t> ref;
  std::mt19937_64 rng(7);
  for (uint32_t i = 0; i < 100000; ++i) {
    const uint64_t k = rng() % 50000;  // many repeats
    bool inserted = false;
    uint32_t& v = m.find_or_insert(k, i, inserted);
    const bool ref_inserted = ref.emplace(k, i).second;
    ASSERT_EQ(inserted, ref_inserted);
    ASSERT_EQ(v, ref[k]);
  }
  EXPECT_EQ(m.size(), ref.size());
  for (const auto& [k, v] : ref) {
    ASSERT_NE(m.find(k), nullptr);
    EXPECT_EQ(*m.find(k), v);
  }
  EXPECT_EQ(m.find(60000), nullptr);
}

TEST(Explain, MasksIdNumbers) {
  EXPECT_EQ(mask_id("11010520160901003X"), "110105********003X");
  EXPECT_EQ(mask_id("123"), "***");
}

}  // namespace
}  // namespace zizhu::identify
