#include "store/sealed_codec.h"

#include <cstdlib>
#include <iterator>

#include "crypto/sm3.h"

namespace zizhu::store {

namespace {

constexpr SensitiveKind kAllKinds[] = {SensitiveKind::kResidentId, SensitiveKind::kStudentNo, SensitiveKind::kBankCard,
                                       SensitiveKind::kPhone};

}  // namespace

// A switch without default: a new kind added to the enum is a compile warning
// (an error here) until it gets its slot and kAllKinds its entry.
size_t SealedCodec::slot(SensitiveKind kind) {
  switch (kind) {
    case SensitiveKind::kResidentId:
      return 0;
    case SensitiveKind::kStudentNo:
      return 1;
    case SensitiveKind::kBankCard:
      return 2;
    case SensitiveKind::kPhone:
      return 3;
  }
  std::abort();  // not a value of the enum: memory corruption
}

SealedCodec::SealedCodec(const crypto::KeyRing& ring) : sealer_(ring) {
  static_assert(std::size(kAllKinds) == kKinds);
  for (SensitiveKind kind : kAllKinds) {
    const std::string label = std::string(crypto::kLabelIndexPrefix) + std::string(sensitive_kind_name(kind));
    // derive() cannot fail for the ring's own active id.
    index_keys_[slot(kind)] = *ring.derive(ring.active_id(), label);
  }
}

std::string SealedCodec::encode_for_storage(SensitiveKind kind, std::string_view plain) const {
  return sealer_.seal(sensitive_kind_name(kind), plain);
}

Result<std::string> SealedCodec::decode(SensitiveKind kind, std::string_view stored) const {
  return sealer_.open(sensitive_kind_name(kind), stored);
}

std::string SealedCodec::blind_index(SensitiveKind kind, std::string_view plain) const {
  return crypto::to_hex(crypto::hmac_sm3(index_keys_[slot(kind)].bytes(), plain));
}

}  // namespace zizhu::store
