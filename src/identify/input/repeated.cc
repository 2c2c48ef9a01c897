#include "identify/input/repeated.h"

#include <thread>

#include "identify/radix_sort.h"

namespace zizhu::identify {
namespace {

// (key, position) pairs of keys[begin, end), sorted by key.
std::vector<KeyPos> sorted_range(std::span<const uint64_t> keys, size_t begin, size_t end) {
  std::vector<KeyPos> sorted(end - begin);
  for (size_t i = begin; i < end; ++i) sorted[i - begin] = KeyPos{keys[i], static_cast<uint32_t>(i), 0};
  radix_sort(sorted);
  return sorted;
}

// The end of the run of equal keys that starts at g.
size_t run_end(const std::vector<KeyPos>& v, size_t g) {
  size_t e = g + 1;
  while (e < v.size() && v[e].key == v[g].key) ++e;
  return e;
}

// Marks every position of a run of two or more equal keys in `sorted`.
void mark_runs(const std::vector<KeyPos>& sorted, std::vector<uint8_t>& repeated) {
  for (size_t g = 0; g < sorted.size();) {
    const size_t e = run_end(sorted, g);
    if (e - g > 1)
      for (size_t k = g; k < e; ++k) repeated[sorted[k].position] = 1;
    g = e;
  }
}

}  // namespace

// Sorting (key, position) pairs and marking runs of equal keys: sequential
// passes over the ten million keys of a province, where counting them in a
// hash table cost one cache miss per row.
std::vector<uint8_t> mark_repeated(std::span<const uint64_t> keys) {
  std::vector<uint8_t> repeated(keys.size(), 0);
  mark_runs(sorted_range(keys, 0, keys.size()), repeated);
  return repeated;
}

// The same marks from two halves sorted and marked on two threads (each
// writes only its own positions), then one merge-like walk over both for the
// keys that are in both halves.
std::vector<uint8_t> mark_repeated(std::span<const uint64_t> keys, int threads) {
  if (threads < 2 || keys.size() < (size_t{1} << 16)) return mark_repeated(keys);
  const size_t half = keys.size() / 2;
  std::vector<uint8_t> repeated(keys.size(), 0);
  std::vector<KeyPos> low, high;
  std::thread second([&] {
    high = sorted_range(keys, half, keys.size());
    mark_runs(high, repeated);
  });
  low = sorted_range(keys, 0, half);
  mark_runs(low, repeated);
  second.join();
  for (size_t i = 0, j = 0; i < low.size() && j < high.size();) {
    if (low[i].key < high[j].key) {
      i = run_end(low, i);
    } else if (high[j].key < low[i].key) {
      j = run_end(high, j);
    } else {
      const size_t ie = run_end(low, i), je = run_end(high, j);
      for (; i < ie; ++i) repeated[low[i].position] = 1;
      for (; j < je; ++j) repeated[high[j].position] = 1;
    }
  }
  return repeated;
}

}  // namespace zizhu::identify
