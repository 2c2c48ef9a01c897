#include "crypto/secret_key.h"

#include <sodium.h>

#include <algorithm>

namespace zizhu::crypto {

SecretKey::SecretKey(std::span<const uint8_t, kBytes> bytes) { std::copy(bytes.begin(), bytes.end(), bytes_.begin()); }

// sodium_memzero is not optimised away even though the object dies next.
SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

}  // namespace zizhu::crypto
