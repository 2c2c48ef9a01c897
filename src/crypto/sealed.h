// Sealed values: SM4-CTR encryption followed by HMAC-SM3 over everything that
// identifies the value (encrypt-then-MAC), as text that fits a TEXT column:
//
//   v1.<key id>.<base64url( iv[16] || ciphertext || mac[32] )>
//   mac = HMAC-SM3(mac key, "v1" || len || key id || len || context || iv || ciphertext)
//
// (len = one byte giving the length of the field after it, so that no two
// (key id, context) pairs give the same MAC input.) The context says where the
// value belongs — the store passes the kind of a sensitive column, the app its
// own purpose (e.g. "app_user.totp_secret") — so a value copied to a place of
// another context is refused. A fresh random IV per value: equal plain values
// seal differently; compare blind indexes, never sealed text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "crypto/key_ring.h"

namespace zizhu::crypto {

inline constexpr std::string_view kSealedVersion = "v1";
inline constexpr size_t kSealedContextBytesMax = 255;

class Sealer {
 public:
  // Derives the SM4 and MAC keys of every key in the ring once; the Sealer
  // keeps its own copies (wiped on destruction) and does not refer to `ring`
  // afterwards.
  explicit Sealer(const KeyRing& ring);

  // Seals with the ring's active key. `context` is at most 255 bytes.
  std::string seal(std::string_view context, std::string_view plain) const;

  // The plain text, after the MAC has been checked (in constant time) and
  // before anything is decrypted. Error codes:
  //   "NOT_SEALED"  — not of the form v1.<id>.<data> (e.g. a plain value
  //                   written without keys);
  //   "UNKNOWN_KEY" — sealed with a key that is not in the ring;
  //   "TAMPERED"    — the data was changed, or the value belongs to another
  //                   context (column kind).
  // Messages name the key id and the context, never the value.
  Result<std::string> open(std::string_view context, std::string_view sealed) const;

  const std::string& active_id() const { return keys_[active_].id; }

  // The key id a sealed text names, or empty when it is not sealed text.
  static std::string_view key_id_of(std::string_view sealed);

 private:
  struct Keys {
    std::string id;
    SecretKey sm4;  // first 16 bytes used
    SecretKey mac;
  };
  const Keys* find(std::string_view key_id) const;

  std::vector<Keys> keys_;
  size_t active_ = 0;
};

}  // namespace zizhu::crypto
