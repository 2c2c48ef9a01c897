// Random bytes and tokens from the operating system's CSPRNG (libsodium's
// randombytes, getrandom(2) on Linux). Safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace zizhu::crypto {

// Initialises libsodium once per process (thread-safe); every function of this
// layer that uses libsodium calls it first, so callers never need to.
void ensure_sodium();

// `n` random bytes.
std::string random_bytes(size_t n);
void random_fill(std::span<uint8_t> out);

// `bytes` random bytes as base64url without padding: 32 bytes (256 bits) for a
// session token give 43 characters, safe in a cookie and a URL.
std::string random_token(size_t bytes = 32);

// A uniform integer in [0, upper_bound), without modulo bias.
uint32_t random_below(uint32_t upper_bound);

}  // namespace zizhu::crypto
