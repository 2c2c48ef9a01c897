#include "identify/input/repeated.h"

#include "identify/flat_map.h"

namespace zizhu::identify {

std::vector<uint8_t> mark_repeated(std::span<const uint64_t> keys) {
  FlatMap count(keys.size());
  for (uint64_t k : keys) {
    bool inserted = false;
    ++count.find_or_insert(k, 0, inserted);
  }
  std::vector<uint8_t> repeated(keys.size(), 0);
  for (size_t i = 0; i < keys.size(); ++i) repeated[i] = *count.find(keys[i]) > 1 ? 1 : 0;
  return repeated;
}

}  // namespace zizhu::identify
