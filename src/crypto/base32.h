// Base32 (RFC 4648 section 6), the text form of TOTP secrets that
// authenticator apps read from an otpauth:// URI or accept typed in.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zizhu::crypto {

// Upper case; with '=' padding to a multiple of 8 when `pad` (otpauth URIs
// leave it out).
std::string base32_encode(std::span<const uint8_t> bytes, bool pad = false);

// Accepts upper or lower case, with or without padding; nullopt for any other
// character, padding in the middle, or a length no encoder produces.
std::optional<std::string> base32_decode(std::string_view text);

}  // namespace zizhu::crypto
