// One-time passwords for the second factor (server.md: sysadmin, auditor,
// county officer and finance): HOTP (RFC 4226) and TOTP (RFC 6238) with
// HMAC-SHA1, 30-second steps and 6 digits — what every authenticator app
// (Google Authenticator, Microsoft Authenticator, 腾讯身份验证器) supports.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "crypto/base32.h"

namespace zizhu::crypto {

inline constexpr size_t kTotpSecretBytes = 20;  // 160 bits, RFC 4226 section 4

struct TotpParams {
  int64_t step_s = 30;
  int digits = 6;  // 6 to 8
  int64_t t0_s = 0;
};

// A fresh random secret of kTotpSecretBytes. The caller stores it sealed
// (crypto/sealed.h), never in plain text.
std::string make_totp_secret();

// The `digits`-digit code for `counter`, with leading zeros.
std::string hotp(std::span<const uint8_t> secret, uint64_t counter, int digits = 6);

// The time step that contains `unix_time_s` (nullopt before t0).
std::optional<int64_t> totp_step(int64_t unix_time_s, const TotpParams& params = {});
std::string totp(std::span<const uint8_t> secret, int64_t unix_time_s, const TotpParams& params = {});

// Checks `code` against the steps from window_steps before to window_steps
// after the one containing `unix_time_s` (clocks of phones drift), and returns
// the step it matched. Steps at or before `last_used_step` are not tried, so
// that a caller who stores the returned step refuses a code seen once already
// (RFC 6238 section 5.2).
std::optional<int64_t> verify_totp(std::span<const uint8_t> secret, std::string_view code, int64_t unix_time_s,
                                   int64_t last_used_step = std::numeric_limits<int64_t>::min(),
                                   const TotpParams& params = {}, int window_steps = 1);

// otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
// (the Key URI format authenticator apps scan), issuer and account
// percent-encoded as UTF-8.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::span<const uint8_t> secret);

}  // namespace zizhu::crypto
