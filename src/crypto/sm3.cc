#include "crypto/sm3.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>
#include <cstdlib>

namespace zizhu::crypto {

namespace {

const EVP_MD* sm3_md() {
  // Fetched once: EVP_get_digestbyname is a table look-up, but the result is
  // the same for the life of the process.
  static const EVP_MD* md = EVP_sm3();
  if (md == nullptr) std::abort();  // OpenSSL built without SM3: nothing is safe to run
  return md;
}

std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

Sm3Digest sm3(std::span<const uint8_t> data) {
  Sm3Digest out{};
  unsigned int len = 0;
  const int ok = EVP_Digest(data.data(), data.size(), out.data(), &len, sm3_md(), nullptr);
  if (ok != 1 || len != out.size()) std::abort();
  return out;
}

Sm3Digest sm3(std::string_view data) { return sm3(bytes_of(data)); }

Sm3Digest hmac_sm3(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  Sm3Digest out{};
  unsigned int len = 0;
  const uint8_t* result = HMAC(sm3_md(), key.data(), static_cast<int>(key.size()), data.data(),
                               data.size(), out.data(), &len);
  if (result == nullptr || len != out.size()) std::abort();
  return out;
}

Sm3Digest hmac_sm3(std::span<const uint8_t> key, std::string_view data) {
  return hmac_sm3(key, bytes_of(data));
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return out;
}

bool from_hex(std::string_view hex, std::string& bytes_out) {
  if (hex.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  bytes_out.clear();
  bytes_out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    bytes_out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return true;
}

bool equal_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace zizhu::crypto
