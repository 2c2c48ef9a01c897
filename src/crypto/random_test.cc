#include "crypto/random.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/base64.h"

namespace zizhu::crypto {
namespace {

TEST(Random, BytesHaveTheAskedLengthAndDiffer) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  const std::string a = random_bytes(32);
  const std::string b = random_bytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);  // equal by chance once in 2^256
}

TEST(Random, SessionTokenIsBase64UrlOf32Bytes) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = random_token();
    ASSERT_EQ(token.size(), 43u);  // 256 bits, no padding
    for (char c : token) {
      const bool url =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      EXPECT_TRUE(url) << token;
    }
    auto raw = base64url_decode(token);
    ASSERT_TRUE(raw.has_value());
    EXPECT_EQ(raw->size(), 32u);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(random_token(16).size(), 22u);
}

TEST(Random, BelowStaysBelowAndCoversTheRange) {
  std::set<uint32_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const uint32_t v = random_below(31);
    ASSERT_LT(v, 31u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 31u);  // each value missed with probability (30/31)^2000
}

// RFC 4648 section 10, in the url alphabet without padding.
TEST(Base64Url, Rfc4648Vectors) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(base64url_encode(plain), encoded);
    EXPECT_EQ(base64url_decode(encoded), plain);
  }
  // The two characters that differ from standard base64.
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff\xbf", 3)), "-_-_");
}

TEST(Base64Url, DecodingIsStrict) {
  EXPECT_FALSE(base64url_decode("Zg=="));   // padding
  EXPECT_FALSE(base64url_decode("Zm9v+"));  // standard alphabet
  EXPECT_FALSE(base64url_decode("Zm 9v"));  // whitespace
  EXPECT_FALSE(base64url_decode("Z"));      // no byte count gives one character
  // "Zh" carries the same byte as "Zg" with a non-zero unused bit: refused, so
  // that a changed character never decodes to the same bytes.
  EXPECT_EQ(base64url_decode("Zg"), "f");
  EXPECT_FALSE(base64url_decode("Zh"));
  EXPECT_FALSE(base64url_decode("Zm9"));
}

}  // namespace
}  // namespace zizhu::crypto
