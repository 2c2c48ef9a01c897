// identify.md's duplicate rule for 学籍号: among the otherwise-right rows,
// every row whose key appears more than once is rejected (none is kept).
// Shared by the identification run and `zizhu import students`.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace zizhu::identify {

// 1 for every position whose key occurs more than once in `keys`, else 0.
std::vector<uint8_t> mark_repeated(std::span<const uint64_t> keys);
// The same, with the sorting on two threads when `threads` > 1.
std::vector<uint8_t> mark_repeated(std::span<const uint64_t> keys, int threads);

}  // namespace zizhu::identify
