#include "store/sealed_codec.h"

#include <gtest/gtest.h>

namespace zizhu::store {
namespace {

constexpr std::string_view kHexA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr std::string_view kHexB = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

crypto::KeyRing ring_of(const std::string& text) {
  auto ring = crypto::KeyRing::parse(text, "test");
  if (!ring) std::abort();
  return std::move(*ring);
}

const std::string kK1 = "k1 " + std::string(kHexA);
const std::string kK1K2 = kK1 + "\nk2 " + std::string(kHexB);

constexpr SensitiveKind kKinds[] = {SensitiveKind::kResidentId, SensitiveKind::kStudentNo, SensitiveKind::kBankCard,
                                    SensitiveKind::kPhone};

const std::string kId = "110101200001011234";

TEST(SealedCodec, RoundTripForEveryKind) {
  const SealedCodec codec(ring_of(kK1));  // the ring is a temporary: the codec keeps what it needs
  for (SensitiveKind kind : kKinds) {
    const std::string stored = codec.encode_for_storage(kind, kId);
    EXPECT_EQ(stored.rfind("v1.k1.", 0), 0u);
    EXPECT_NE(stored, codec.encode_for_storage(kind, kId));  // a fresh IV each time
    EXPECT_EQ(codec.decode(kind, stored), kId);
  }
}

// The stored format and the index key derivation, pinned with values computed
// by the OpenSSL command line (crypto/sealed_test.cc tells how):
//   HMAC-SM3(HMAC-SM3(master, "zizhu/index/resident_id"), "110101200001011234")
TEST(SealedCodec, MatchesValuesComputedElsewhere) {
  const crypto::KeyRing ring = ring_of(kK1);
  const SealedCodec codec(ring);
  EXPECT_EQ(
      codec.decode(SensitiveKind::kResidentId,
                   "v1.k1.oKGio6SlpqeoqaqrrK2urzINmM5GSBECkEBvcfvlNoBpD0fxxeSzoTK5v2rT5WAeT3OBXyO58EfDdX2MKvd9znIz"),
      kId);
  EXPECT_EQ(codec.blind_index(SensitiveKind::kResidentId, kId),
            "5bc86b0135bfa977c8c0e2750b125cd79ae01b99e272eaddf86fcc1d6476d0c1");
}

TEST(SealedCodec, TamperOfAnyByteIsDetected) {
  const SealedCodec codec(ring_of(kK1));
  // The nonce is random: once in 4096 encodings the text already ends in
  // "AA", and writing "AA" over it below would change nothing (a clean-clone
  // CI run met it). Such an encoding is drawn again.
  std::string stored;
  do {
    stored = codec.encode_for_storage(SensitiveKind::kBankCard, "6222020200112233445");
  } while (stored.ends_with("AA"));
  for (size_t i = 0; i < stored.size(); ++i) {
    std::string changed = stored;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    auto decoded = codec.decode(SensitiveKind::kBankCard, changed);
    EXPECT_FALSE(decoded.has_value()) << "position " << i;
  }
  auto bad_mac = codec.decode(SensitiveKind::kBankCard, stored.substr(0, stored.size() - 2) + "AA");
  ASSERT_FALSE(bad_mac.has_value());
  EXPECT_EQ(bad_mac.error().code, "TAMPERED");
}

TEST(SealedCodec, AValueMovedToAColumnOfAnotherKindIsRefused) {
  const SealedCodec codec(ring_of(kK1));
  for (SensitiveKind from : kKinds) {
    const std::string stored = codec.encode_for_storage(from, kId);
    for (SensitiveKind to : kKinds) {
      auto decoded = codec.decode(to, stored);
      if (to == from) {
        EXPECT_EQ(decoded, kId);
      } else {
        ASSERT_FALSE(decoded.has_value());
        EXPECT_EQ(decoded.error().code, "TAMPERED");
        EXPECT_NE(decoded.error().message.find(sensitive_kind_name(to)), std::string::npos);
      }
    }
  }
}

TEST(SealedCodec, WrongKeyAndUnknownKey) {
  const SealedCodec a(ring_of(kK1));
  const SealedCodec other_master(ring_of("k1 " + std::string(kHexB)));
  const SealedCodec other_id(ring_of("k9 " + std::string(kHexA)));
  const std::string stored = a.encode_for_storage(SensitiveKind::kPhone, "13800138000");
  EXPECT_EQ(other_master.decode(SensitiveKind::kPhone, stored).error().code, "TAMPERED");
  auto unknown = other_id.decode(SensitiveKind::kPhone, stored);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, "UNKNOWN_KEY");
  EXPECT_NE(unknown.error().message.find("k1"), std::string::npos);
  EXPECT_EQ(a.decode(SensitiveKind::kPhone, "13800138000").error().code, "NOT_SEALED");
}

TEST(SealedCodec, OldKeyValuesDecodeAfterARotation) {
  const SealedCodec before(ring_of(kK1));
  const SealedCodec after(ring_of(kK1K2));
  EXPECT_EQ(after.active_id(), "k2");
  const std::string old_value = before.encode_for_storage(SensitiveKind::kStudentNo, "G110101200001011234");
  EXPECT_EQ(after.decode(SensitiveKind::kStudentNo, old_value), "G110101200001011234");
  EXPECT_EQ(after.encode_for_storage(SensitiveKind::kStudentNo, "x").rfind("v1.k2.", 0), 0u);
  // The index follows the active key: after a rotation every index changes,
  // which is why a rotation reseals the whole database.
  EXPECT_NE(after.blind_index(SensitiveKind::kStudentNo, "G110101200001011234"),
            before.blind_index(SensitiveKind::kStudentNo, "G110101200001011234"));
}

TEST(SealedCodec, BlindIndexIsDeterministicAndKeyedPerKind) {
  const SealedCodec codec(ring_of(kK1));
  const std::string digits = "6222020200112233";
  EXPECT_EQ(codec.blind_index(SensitiveKind::kBankCard, digits), codec.blind_index(SensitiveKind::kBankCard, digits));
  EXPECT_EQ(codec.blind_index(SensitiveKind::kBankCard, digits).size(), 64u);
  EXPECT_NE(codec.blind_index(SensitiveKind::kBankCard, digits),
            codec.blind_index(SensitiveKind::kBankCard, digits + "4"));
  // The same digits as another kind index differently.
  for (SensitiveKind a : kKinds) {
    for (SensitiveKind b : kKinds) {
      if (a != b) {
        EXPECT_NE(codec.blind_index(a, digits), codec.blind_index(b, digits));
      }
    }
  }
  // And differently under another master.
  EXPECT_NE(SealedCodec(ring_of("k1 " + std::string(kHexB))).blind_index(SensitiveKind::kBankCard, digits),
            codec.blind_index(SensitiveKind::kBankCard, digits));
}

TEST(SealedCodec, NoPlainDigitsInWhatIsStored) {
  const SealedCodec codec(ring_of(kK1));
  for (int i = 0; i < 50; ++i) {
    for (SensitiveKind kind : kKinds) {
      const std::string stored = codec.encode_for_storage(kind, kId);
      const std::string index = codec.blind_index(kind, kId);
      for (size_t at = 0; at + 4 <= kId.size(); ++at) {
        EXPECT_EQ(stored.find(kId.substr(at, 4)), std::string::npos) << stored;
      }
      EXPECT_EQ(index.find(kId.substr(0, 6)), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace zizhu::store
