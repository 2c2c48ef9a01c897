// A file written through one large buffer: the generator appends bytes and
// numbers without any per-row allocation.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace zizhu::gen {

class OutBuffer {
 public:
  static constexpr size_t kCapacity = size_t{1} << 22;

  OutBuffer() : buf_(kCapacity) {}
  ~OutBuffer();
  OutBuffer(const OutBuffer&) = delete;
  OutBuffer& operator=(const OutBuffer&) = delete;

  Result<bool> open(const std::string& path);
  Result<bool> close();

  void put(std::string_view s) {
    if (len_ + s.size() > buf_.size()) flush();
    for (char c : s) buf_[len_++] = c;
  }
  void put(char c) {
    if (len_ + 1 > buf_.size()) flush();
    buf_[len_++] = c;
  }
  // Unsigned decimal, no padding.
  void put_uint(uint64_t v);
  // Exactly `width` decimal digits (leading zeros), the low digits of v.
  void put_digits(uint64_t v, int width);
  // Whole fen as yuan: "12000", "12000.5" or "12000.25" (no trailing zeros).
  void put_yuan(uint64_t fen);
  uint64_t bytes_written() const { return written_ + len_; }

 private:
  void flush();
  std::vector<char> buf_;
  size_t len_ = 0;
  uint64_t written_ = 0;
  std::FILE* file_ = nullptr;
  std::string path_;
  bool failed_ = false;
};

}  // namespace zizhu::gen
