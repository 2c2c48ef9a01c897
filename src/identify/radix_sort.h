// A stable LSD radix sort of (64-bit key, 32-bit position) pairs, for the
// identification run's joins and duplicate checks on millions of rows: eight
// byte-wide passes at most (a pass whose byte is the same in every key is
// skipped), each a sequential read and a bucketed write, where std::sort's
// comparisons cost O(n log n) with unpredictable branches.
//
// Stable: pairs with equal keys keep their input order, so input in position
// order comes out sorted by (key, position), exactly what std::sort by
// (key, position) gives.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace zizhu::identify {

struct KeyPos {
  uint64_t key;
  uint32_t position;
  uint32_t aux;  // an optional tie-breaker, sorted before the key (see radix_sort)
};

// Sorts `v` by key (stable). With `by_aux`, by (key, aux): the low byte of aux
// is taken as the least significant digit.
inline void radix_sort(std::vector<KeyPos>& v, bool by_aux = false) {
  const size_t n = v.size();
  if (n < 2) return;
  // One read counts all eight bytes (and aux's low byte).
  std::vector<std::array<uint32_t, 256>> counts(9);
  for (auto& c : counts) c.fill(0);
  for (const KeyPos& e : v) {
    uint64_t k = e.key;
    for (int b = 0; b < 8; ++b, k >>= 8) ++counts[static_cast<size_t>(b)][k & 0xff];
    ++counts[8][e.aux & 0xff];
  }
  std::vector<KeyPos> tmp(n);
  std::vector<KeyPos>* from = &v;
  std::vector<KeyPos>* to = &tmp;
  auto pass = [&](size_t digit, auto byte_of) {
    auto& c = counts[digit];
    for (uint32_t x : c)
      if (x == n) return;  // every key has this byte: the pass changes nothing
    std::array<size_t, 256> start{};
    size_t sum = 0;
    for (size_t d = 0; d < 256; ++d) {
      start[d] = sum;
      sum += c[d];
    }
    KeyPos* out = to->data();
    for (const KeyPos& e : *from) out[start[byte_of(e)]++] = e;
    std::swap(from, to);
  };
  if (by_aux) pass(8, [](const KeyPos& e) { return static_cast<size_t>(e.aux & 0xff); });
  for (size_t b = 0; b < 8; ++b) {
    const unsigned shift = static_cast<unsigned>(8 * b);
    pass(b, [shift](const KeyPos& e) { return static_cast<size_t>((e.key >> shift) & 0xff); });
  }
  if (from != &v) v.swap(tmp);
}

}  // namespace zizhu::identify
