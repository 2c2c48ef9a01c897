#include "crypto/totp.h"

#include <gtest/gtest.h>

#include "crypto/test_bytes.h"

namespace zizhu::crypto {
namespace {

using testing::bytes;

const std::string kRfcSecret = "12345678901234567890";

// RFC 4648 section 10.
TEST(Base32, Rfc4648Vectors) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},
      {"f", "MY======"},
      {"fo", "MZXQ===="},
      {"foo", "MZXW6==="},
      {"foob", "MZXW6YQ="},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI======"},
  };
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base32_encode(bytes(plain), true), encoded);
    EXPECT_EQ(base32_decode(encoded), plain) << encoded;
    std::string bare = encoded;
    while (!bare.empty() && bare.back() == '=') bare.pop_back();
    EXPECT_EQ(base32_encode(bytes(plain)), bare);
    EXPECT_EQ(base32_decode(bare), plain) << bare;
  }
  EXPECT_EQ(base32_decode("mzxw6ytboi"), "foobar");  // typed in lower case
}

TEST(Base32, RefusesWhatNoEncoderWrites) {
  EXPECT_FALSE(base32_decode("MZXW1"));      // '1' is not in the alphabet
  EXPECT_FALSE(base32_decode("MZ=XW6"));     // padding in the middle
  EXPECT_FALSE(base32_decode("M"));          // 1 character: no byte count
  EXPECT_FALSE(base32_decode("MZX"));        // 3
  EXPECT_FALSE(base32_decode("MZXW6YTBO"));  // 8 + 1
}

// RFC 4226 appendix D.
TEST(Hotp, Rfc4226AppendixD) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(hotp(bytes(kRfcSecret), counter), expected[counter]) << counter;
  }
}

// RFC 6238 appendix B, the SHA1 rows (8 digits).
TEST(Totp, Rfc6238AppendixB) {
  const TotpParams eight{.step_s = 30, .digits = 8, .t0_s = 0};
  const std::pair<int64_t, std::string> rows[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [time, code] : rows) {
    EXPECT_EQ(totp(bytes(kRfcSecret), time, eight), code) << time;
    EXPECT_EQ(verify_totp(bytes(kRfcSecret), code, time, std::numeric_limits<int64_t>::min(), eight), time / 30);
  }
  // 6 digits are the last 6 of the same number.
  EXPECT_EQ(totp(bytes(kRfcSecret), 59), "287082");
}

TEST(Totp, OneStepEitherSideIsAccepted) {
  const int64_t now = 1111111111;  // step 37037037
  const int64_t step = now / 30;
  for (int64_t delta = -3; delta <= 3; ++delta) {
    const std::string code = hotp(bytes(kRfcSecret), static_cast<uint64_t>(step + delta));
    const auto matched = verify_totp(bytes(kRfcSecret), code, now);
    if (delta >= -1 && delta <= 1) {
      EXPECT_EQ(matched, step + delta) << delta;
    } else {
      EXPECT_FALSE(matched.has_value()) << delta;
    }
  }
}

TEST(Totp, AStepUsedOnceIsNotAcceptedAgain) {
  const int64_t now = 1234567890;
  const std::string code = totp(bytes(kRfcSecret), now);
  const auto first = verify_totp(bytes(kRfcSecret), code, now);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(verify_totp(bytes(kRfcSecret), code, now, *first).has_value());
  EXPECT_FALSE(verify_totp(bytes(kRfcSecret), code, now + 30, *first).has_value());
  // The next step's code is still good.
  EXPECT_EQ(verify_totp(bytes(kRfcSecret), totp(bytes(kRfcSecret), now + 30), now + 30, *first), *first + 1);
}

TEST(Totp, MalformedCodesAndOtherSecretsFail) {
  const int64_t now = 1234567890;
  const std::string code = totp(bytes(kRfcSecret), now);
  EXPECT_FALSE(verify_totp(bytes(kRfcSecret), code.substr(1), now));
  EXPECT_FALSE(verify_totp(bytes(kRfcSecret), code + "0", now));
  EXPECT_FALSE(verify_totp(bytes(kRfcSecret), "12345a", now));
  EXPECT_FALSE(verify_totp(bytes(kRfcSecret), "", now));
  EXPECT_FALSE(verify_totp(bytes("12345678901234567891"), code, now));
  EXPECT_FALSE(verify_totp(bytes(kRfcSecret), code, -5));
}

TEST(Totp, FreshSecretsAreTwentyRandomBytes) {
  const std::string a = make_totp_secret();
  EXPECT_EQ(a.size(), kTotpSecretBytes);
  EXPECT_NE(a, make_totp_secret());
}

TEST(Totp, OtpauthUri) {
  EXPECT_EQ(otpauth_uri("zizhu 资助", "li.si@620102", bytes(kRfcSecret)),
            "otpauth://totp/zizhu%20%E8%B5%84%E5%8A%A9:li.si%40620102"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=zizhu%20%E8%B5%84%E5%8A%A9"
            "&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace zizhu::crypto
