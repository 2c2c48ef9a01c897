// SM4 (GB/T 32907-2016) in counter mode, from OpenSSL 3.0. Counter mode gives
// no integrity: callers MUST authenticate the IV and ciphertext (sealed.h does,
// with HMAC-SM3, encrypt-then-MAC) — OpenSSL 3.0 has no SM4-GCM.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace zizhu::crypto {

inline constexpr size_t kSm4KeyBytes = 16;
inline constexpr size_t kSm4IvBytes = 16;

using Sm4Key = std::span<const uint8_t, kSm4KeyBytes>;
using Sm4Iv = std::span<const uint8_t, kSm4IvBytes>;

// XORs `input` with the SM4-CTR key stream for (key, iv); the 16-byte IV is the
// initial counter block, incremented as one big-endian 128-bit number. An IV
// must never be used twice with one key: sealed.h draws it at random.
std::string sm4_ctr_encrypt(Sm4Key key, Sm4Iv iv, std::string_view plain);
// The same operation: counter mode is its own inverse.
std::string sm4_ctr_decrypt(Sm4Key key, Sm4Iv iv, std::string_view cipher);

}  // namespace zizhu::crypto
