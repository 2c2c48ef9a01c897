// Helpers for tests only (header-only: not part of the library): the small
// valid evidence files kept as fuzz seeds in tests/fuzz/file_kind_fuzz/.
#pragma once

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace zizhu::io::testing {

// tiny.pdf, tiny.png, palette.png, tiny.jpg, trailer.jpg; aborts when missing.
inline std::string evidence_seed(const std::string& name) {
  std::ifstream in(std::string(ZIZHU_SOURCE_DIR) + "/tests/fuzz/file_kind_fuzz/" + name, std::ios::binary);
  if (!in) std::abort();
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace zizhu::io::testing
