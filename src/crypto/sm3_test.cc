#include "crypto/sm3.h"

#include <gtest/gtest.h>

namespace zizhu::crypto {
namespace {

// GB/T 32905-2016, appendix A, examples 1 and 2.
TEST(Sm3, StandardVectors) {
  EXPECT_EQ(to_hex(sm3("abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  std::string sixty_four;
  for (int i = 0; i < 16; ++i) sixty_four += "abcd";
  EXPECT_EQ(to_hex(sm3(sixty_four)),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

TEST(HmacSm3, KeyChangesTheMac) {
  const std::string k1(32, '\x01');
  const std::string k2(32, '\x02');
  auto bytes = [](const std::string& s) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  const auto a = hmac_sm3(bytes(k1), "110101200001011234");
  EXPECT_EQ(a, hmac_sm3(bytes(k1), "110101200001011234"));
  EXPECT_NE(a, hmac_sm3(bytes(k2), "110101200001011234"));
  EXPECT_NE(a, hmac_sm3(bytes(k1), "110101200001011235"));
  EXPECT_NE(a, sm3("110101200001011234"));
}

// Computed with another implementation, the OpenSSL command line:
//   printf 'abc' | openssl dgst -sm3 -hmac key
//   printf 'what do ya want for nothing?' | openssl dgst -sm3 -hmac Jefe
TEST(HmacSm3, MatchesTheOpensslCommandLine) {
  const std::string key = "key";
  const std::string jefe = "Jefe";
  auto bytes = [](const std::string& s) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  EXPECT_EQ(to_hex(hmac_sm3(bytes(key), "abc")), "28e63256e7c5a087b1f073265dc53092163f7b82729735d06f28f10af9d52393");
  EXPECT_EQ(to_hex(hmac_sm3(bytes(jefe), "what do ya want for nothing?")),
            "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882");
}

TEST(Hex, RoundTripAndRefusals) {
  std::string out;
  ASSERT_TRUE(from_hex("00ff10Ab", out));
  EXPECT_EQ(out, std::string("\x00\xff\x10\xab", 4));
  EXPECT_EQ(to_hex({reinterpret_cast<const uint8_t*>(out.data()), out.size()}), "00ff10ab");
  EXPECT_FALSE(from_hex("abc", out));
  EXPECT_FALSE(from_hex("zz", out));
}

}  // namespace
}  // namespace zizhu::crypto
