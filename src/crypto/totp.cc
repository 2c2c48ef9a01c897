#include "crypto/totp.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdlib>

#include "crypto/random.h"

namespace zizhu::crypto {

namespace {

constexpr uint32_t kPowersOfTen[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto b = static_cast<uint8_t>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
                            b == '.' || b == '_' || b == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

}  // namespace

std::string make_totp_secret() { return random_bytes(kTotpSecretBytes); }

std::string hotp(std::span<const uint8_t> secret, uint64_t counter, int digits) {
  if (digits < 6 || digits > 8) std::abort();  // a programming error: RFC 4226 allows 6 to 8 here
  std::array<uint8_t, 8> message{};
  for (size_t i = 0; i < message.size(); ++i) message[i] = static_cast<uint8_t>(counter >> (56 - 8 * i));
  std::array<uint8_t, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), message.data(), message.size(), mac.data(),
           &mac_len) == nullptr ||
      mac_len != 20) {
    std::abort();
  }
  // Dynamic truncation, RFC 4226 section 5.3.
  const size_t offset = mac[19] & 0x0F;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) | static_cast<uint32_t>(mac[offset + 3]);
  const uint32_t code = binary % kPowersOfTen[digits];
  std::string out = std::to_string(code);
  out.insert(0, static_cast<size_t>(digits) - out.size(), '0');
  return out;
}

std::optional<int64_t> totp_step(int64_t unix_time_s, const TotpParams& params) {
  if (unix_time_s < params.t0_s || params.step_s <= 0) return std::nullopt;
  return (unix_time_s - params.t0_s) / params.step_s;
}

std::string totp(std::span<const uint8_t> secret, int64_t unix_time_s, const TotpParams& params) {
  const auto step = totp_step(unix_time_s, params);
  if (!step) std::abort();  // a clock before 1970: nothing sensible to show
  return hotp(secret, static_cast<uint64_t>(*step), params.digits);
}

std::optional<int64_t> verify_totp(std::span<const uint8_t> secret, std::string_view code, int64_t unix_time_s,
                                   int64_t last_used_step, const TotpParams& params, int window_steps) {
  if (code.size() != static_cast<size_t>(params.digits)) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const auto now = totp_step(unix_time_s, params);
  if (!now) return std::nullopt;
  for (int64_t delta = -window_steps; delta <= window_steps; ++delta) {
    const int64_t step = *now + delta;
    if (step < 0 || step <= last_used_step) continue;
    const std::string expected = hotp(secret, static_cast<uint64_t>(step), params.digits);
    if (CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0) return step;
  }
  return std::nullopt;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::span<const uint8_t> secret) {
  const std::string issuer_enc = percent_encode(issuer);
  return "otpauth://totp/" + issuer_enc + ":" + percent_encode(account) + "?secret=" + base32_encode(secret) +
         "&issuer=" + issuer_enc + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace zizhu::crypto
