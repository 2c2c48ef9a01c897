// The SensitiveCodec of a real installation: each value sealed with SM4-CTR +
// HMAC-SM3 under the ring's active key (crypto/sealed.h), bound to its kind so
// that a value cannot be moved to a column of another kind, and a keyed
// HMAC-SM3 blind index per kind for equality lookups (docs/crypto.md).
#pragma once

#include <array>

#include "crypto/key_ring.h"
#include "crypto/sealed.h"
#include "store/sensitive.h"

namespace zizhu::store {

class SealedCodec final : public SensitiveCodec {
 public:
  // Derives what it needs from `ring` once and keeps its own copies (wiped on
  // destruction); `ring` need not outlive the codec.
  explicit SealedCodec(const crypto::KeyRing& ring);

  // "v1.<active key id>.<base64url(iv || SM4-CTR ciphertext || HMAC-SM3)>",
  // the MAC covering the kind.
  std::string encode_for_storage(SensitiveKind kind, std::string_view plain) const override;
  // Values sealed under any key of the ring. Codes: "NOT_SEALED",
  // "UNKNOWN_KEY", "TAMPERED" (changed, or stored in a column of another kind).
  Result<std::string> decode(SensitiveKind kind, std::string_view stored) const override;
  // Lower-case hex of HMAC-SM3(index key of the ACTIVE key for `kind`, plain):
  // after a rotation every index must be recomputed (store/sqlite/reseal.h).
  std::string blind_index(SensitiveKind kind, std::string_view plain) const override;

  const std::string& active_id() const { return sealer_.active_id(); }

 private:
  static constexpr size_t kKinds = 4;
  static size_t slot(SensitiveKind kind);

  crypto::Sealer sealer_;
  std::array<crypto::SecretKey, kKinds> index_keys_;
};

}  // namespace zizhu::store
