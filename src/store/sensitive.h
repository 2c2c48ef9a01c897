// Sensitive values (resident ID numbers, 学籍号 — a G number contains the ID —,
// bank cards, phones) and the ONE place where they are turned into what is
// stored. Every sensitive column of the schema is a pair: the stored value
// (`foo`) and a blind index for equality lookups (`foo_index`). Repositories
// bind and read such columns only through a SensitiveCodec, so the server issue
// swaps the identity codec below for SM4 + HMAC-SM3 without touching a query.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace zizhu::store {

// Which kind of value: a real codec keys its blind index per kind, so that the
// index of an ID number never equals the index of the same digits as a card.
enum class SensitiveKind : uint8_t {
  kResidentId,
  kStudentNo,
  kBankCard,
  kPhone,
};

std::string_view sensitive_kind_name(SensitiveKind kind);

// A sensitive value in memory, in plain text. The type marks the field so that
// it can only reach the database through the codec, and so that a reader of a
// struct sees at once which fields are personal data.
class SensitiveText {
 public:
  SensitiveText() = default;
  explicit SensitiveText(std::string plain) : plain_(std::move(plain)) {}

  const std::string& plain() const { return plain_; }
  bool empty() const { return plain_.empty(); }
  bool operator==(const SensitiveText&) const = default;

 private:
  std::string plain_;
};

class SensitiveCodec {
 public:
  virtual ~SensitiveCodec() = default;
  // What goes into the value column. May be randomised (an IV): never compare
  // stored values, compare decoded ones or blind indexes.
  virtual std::string encode_for_storage(SensitiveKind kind, std::string_view plain) const = 0;
  // The plain value back; an error when the stored text is not ours (tampered,
  // wrong key).
  virtual Result<std::string> decode(SensitiveKind kind, std::string_view stored) const = 0;
  // Deterministic: equal plain values of one kind give equal indexes. What goes
  // into the `*_index` column and what lookups bind.
  virtual std::string blind_index(SensitiveKind kind, std::string_view plain) const = 0;
};

// For now: stored as given, indexed as given. Replaced by SM4 (CTR/CBC) +
// HMAC-SM3 encrypt-then-MAC, and a keyed HMAC-SM3 blind index, in the server
// issue (docs/store.md).
const SensitiveCodec& identity_codec();

}  // namespace zizhu::store
