#include "crypto/random.h"

#include <sodium.h>

#include <cstdlib>

#include "crypto/base64.h"

namespace zizhu::crypto {

void ensure_sodium() {
  // A function-local static is initialised exactly once even when several
  // threads arrive together; sodium_init itself is idempotent.
  static const int rc = sodium_init();
  if (rc < 0) std::abort();  // no entropy source: nothing secret can be made safely
}

void random_fill(std::span<uint8_t> out) {
  ensure_sodium();
  randombytes_buf(out.data(), out.size());
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  random_fill({reinterpret_cast<uint8_t*>(out.data()), out.size()});
  return out;
}

std::string random_token(size_t bytes) {
  std::string raw = random_bytes(bytes);
  std::string token = base64url_encode(raw);
  sodium_memzero(raw.data(), raw.size());
  return token;
}

uint32_t random_below(uint32_t upper_bound) {
  ensure_sodium();
  return randombytes_uniform(upper_bound);
}

}  // namespace zizhu::crypto
