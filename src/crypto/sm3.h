// SM3 (GB/T 32905-2016) and HMAC-SM3 (RFC 2104 over SM3), from OpenSSL 3.0.
// Used for blind indexes, the encrypt-then-MAC of sealed personal data and the
// audit chain. One-shot functions: every caller hashes a few hundred bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace zizhu::crypto {

using Sm3Digest = std::array<uint8_t, 32>;

Sm3Digest sm3(std::span<const uint8_t> data);
Sm3Digest sm3(std::string_view data);

// HMAC-SM3 with a key of any length (32 bytes in this program).
Sm3Digest hmac_sm3(std::span<const uint8_t> key, std::span<const uint8_t> data);
Sm3Digest hmac_sm3(std::span<const uint8_t> key, std::string_view data);

// Lower-case hex of any bytes, and back (an error-free parse returns true).
std::string to_hex(std::span<const uint8_t> bytes);
bool from_hex(std::string_view hex, std::string& bytes_out);

// Compares in time independent of where the first difference is.
bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace zizhu::crypto
