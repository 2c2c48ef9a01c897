#include "identify/input/repeated.h"

#include "identify/radix_sort.h"

namespace zizhu::identify {

// Sorting (key, position) pairs and marking runs of equal keys: sequential
// passes over the ten million keys of a province, where counting them in a
// hash table cost one cache miss per row.
std::vector<uint8_t> mark_repeated(std::span<const uint64_t> keys) {
  std::vector<KeyPos> sorted(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) sorted[i] = KeyPos{keys[i], static_cast<uint32_t>(i), 0};
  radix_sort(sorted);
  std::vector<uint8_t> repeated(keys.size(), 0);
  for (size_t g = 0; g < sorted.size();) {
    size_t e = g + 1;
    while (e < sorted.size() && sorted[e].key == sorted[g].key) ++e;
    if (e - g > 1)
      for (size_t k = g; k < e; ++k) repeated[sorted[k].position] = 1;
    g = e;
  }
  return repeated;
}

}  // namespace zizhu::identify
