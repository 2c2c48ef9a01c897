// Helpers for the crypto tests only (header-only: not part of the library).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "crypto/sm3.h"

namespace zizhu::crypto::testing {

inline std::span<const uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Hex in the test, bytes to the code under test; aborts on a typo.
inline std::string unhex(std::string_view hex) {
  std::string out;
  if (!from_hex(hex, out)) std::abort();
  return out;
}

}  // namespace zizhu::crypto::testing
