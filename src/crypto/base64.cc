#include "crypto/base64.h"

#include <sodium.h>

#include "crypto/random.h"

namespace zizhu::crypto {

std::string base64url_encode(std::span<const uint8_t> bytes) {
  ensure_sodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  // sodium_base64_encoded_len counts the terminating NUL.
  std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.pop_back();
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  return base64url_encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

std::optional<std::string> base64url_decode(std::string_view text) {
  ensure_sodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  // No characters to ignore; libsodium refuses characters outside the
  // alphabet and non-zero trailing bits, and `end` shows it consumed all.
  const int rc = sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                                   nullptr, &len, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  if (rc != 0 || end != text.data() + text.size()) return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace zizhu::crypto
