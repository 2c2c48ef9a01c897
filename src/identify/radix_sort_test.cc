#include "identify/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace zizhu::identify {
namespace {

// radix_sort must give exactly what std::sort by (key, position) gives for
// input in position order (it is stable), with or without the aux digit.
std::vector<KeyPos> random_pairs(size_t n, uint64_t key_mask, uint32_t aux_max, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<KeyPos> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = KeyPos{rng() & key_mask, static_cast<uint32_t>(i), static_cast<uint32_t>(rng() % (aux_max + 1))};
  return v;
}

TEST(RadixSort, SameAsStdSortByKeyThenPosition) {
  for (uint64_t mask : {~uint64_t{0}, uint64_t{0xff}, uint64_t{0xff00000000ff}, uint64_t{0}}) {
    auto v = random_pairs(50000, mask, 0, mask + 1);
    auto expected = v;
    std::sort(expected.begin(), expected.end(), [](const KeyPos& a, const KeyPos& b) {
      return a.key != b.key ? a.key < b.key : a.position < b.position;
    });
    radix_sort(v);
    ASSERT_EQ(v.size(), expected.size());
    for (size_t i = 0; i < v.size(); ++i) {
      ASSERT_EQ(v[i].key, expected[i].key) << i;
      ASSERT_EQ(v[i].position, expected[i].position) << i;
    }
  }
}

TEST(RadixSort, ByAuxSortsByKeyThenAuxThenPosition) {
  auto v = random_pairs(50000, 0x3ff, 19, 3);
  auto expected = v;
  std::sort(expected.begin(), expected.end(), [](const KeyPos& a, const KeyPos& b) {
    if (a.key != b.key) return a.key < b.key;
    if (a.aux != b.aux) return a.aux < b.aux;
    return a.position < b.position;
  });
  radix_sort(v, /*by_aux=*/true);
  for (size_t i = 0; i < v.size(); ++i) {
    ASSERT_EQ(v[i].key, expected[i].key) << i;
    ASSERT_EQ(v[i].aux, expected[i].aux) << i;
    ASSERT_EQ(v[i].position, expected[i].position) << i;
  }
}

TEST(RadixSort, EmptyAndOne) {
  std::vector<KeyPos> none;
  radix_sort(none);
  EXPECT_TRUE(none.empty());
  std::vector<KeyPos> one{{42, 0, 0}};
  radix_sort(one);
  EXPECT_EQ(one[0].key, 42u);
}

}  // namespace
}  // namespace zizhu::identify
