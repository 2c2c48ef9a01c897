// Page requests and answers for every list (server.md: page from 1,
// page_size at most 500).
#pragma once

#include <cstdint>
#include <vector>

#include "core/error.h"

namespace zizhu::app {

inline constexpr int64_t kPageSizeMax = 500;
inline constexpr int64_t kPageSizeDefault = 20;

struct PageRequest {
  int64_t page = 1;
  int64_t page_size = kPageSizeDefault;
  int64_t offset() const { return (page - 1) * page_size; }
};

template <class T>
struct Page {
  int64_t total = 0;
  std::vector<T> items;
};

}  // namespace zizhu::app
