#include "store/sensitive.h"

namespace zizhu::store {

std::string_view sensitive_kind_name(SensitiveKind kind) {
  switch (kind) {
    case SensitiveKind::kResidentId: return "resident_id";
    case SensitiveKind::kStudentNo: return "student_no";
    case SensitiveKind::kBankCard: return "bank_card";
    case SensitiveKind::kPhone: return "phone";
  }
  return "unknown";
}

namespace {

class IdentityCodec final : public SensitiveCodec {
 public:
  std::string encode_for_storage(SensitiveKind, std::string_view plain) const override {
    return std::string(plain);
  }
  Result<std::string> decode(SensitiveKind, std::string_view stored) const override {
    return std::string(stored);
  }
  std::string blind_index(SensitiveKind, std::string_view plain) const override {
    return std::string(plain);
  }
};

}  // namespace

const SensitiveCodec& identity_codec() {
  static const IdentityCodec codec;
  return codec;
}

}  // namespace zizhu::store
