// Base64url (RFC 4648 section 5) without padding, strict on decode: only the
// url alphabet, no padding, no whitespace, and unused trailing bits must be
// zero — so every stored text has exactly one decoding and a changed character
// can never decode to the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zizhu::crypto {

std::string base64url_encode(std::span<const uint8_t> bytes);
std::string base64url_encode(std::string_view bytes);

// nullopt when `text` is not canonical base64url without padding.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace zizhu::crypto
