#include "crypto/sm4_ctr.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <thread>
#include <vector>

#include "crypto/test_bytes.h"

namespace zizhu::crypto {
namespace {

using testing::bytes;
using testing::unhex;

const std::string kKey = unhex("0123456789abcdeffedcba9876543210");

Sm4Key key_of(const std::string& k) { return bytes(k).first<kSm4KeyBytes>(); }
Sm4Iv iv_of(const std::string& iv) { return bytes(iv).first<kSm4IvBytes>(); }

// One SM4 block in ECB mode through EVP: the reference the CTR key stream is
// checked against.
std::string sm4_ecb_block(const std::string& key, const std::string& block) {
  EVP_CIPHER* ecb = EVP_CIPHER_fetch(nullptr, "SM4-ECB", nullptr);
  EXPECT_NE(ecb, nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EXPECT_EQ(EVP_EncryptInit_ex2(ctx, ecb, reinterpret_cast<const unsigned char*>(key.data()), nullptr, nullptr), 1);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  std::string out(16, '\0');
  int len = 0;
  EXPECT_EQ(EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                              reinterpret_cast<const unsigned char*>(block.data()), 16),
            1);
  EXPECT_EQ(len, 16);
  EVP_CIPHER_CTX_free(ctx);
  EVP_CIPHER_free(ecb);
  return out;
}

// GB/T 32907-2016 appendix A, example 1: key = plaintext.
TEST(Sm4, StandardVectorInEcb) {
  EXPECT_EQ(to_hex(bytes(sm4_ecb_block(kKey, kKey))), "681edf34d206965e86b3e94f536e4246");
}

// With IV = 0 the first key-stream block is E(K, 0); so encrypting the
// standard's plaintext must give it XOR E(K, 0).
TEST(Sm4Ctr, FirstBlockIsTheEcbOfTheCounter) {
  const std::string zero(16, '\0');
  const std::string stream = sm4_ecb_block(kKey, zero);
  std::string expected(16, '\0');
  for (size_t i = 0; i < 16; ++i) expected[i] = static_cast<char>(kKey[i] ^ stream[i]);
  EXPECT_EQ(to_hex(bytes(sm4_ctr_encrypt(key_of(kKey), iv_of(zero), kKey))), to_hex(bytes(expected)));
  // And encrypting zeros shows the key stream itself.
  EXPECT_EQ(sm4_ctr_encrypt(key_of(kKey), iv_of(zero), zero), stream);
}

// Computed with the OpenSSL command line:
//   printf '...' | openssl enc -sm4-ctr -K 0123...3210 -iv <iv> | xxd -p
TEST(Sm4Ctr, MatchesTheOpensslCommandLine) {
  const std::string iv = unhex("000102030405060708090a0b0c0d0e0f");
  EXPECT_EQ(to_hex(bytes(sm4_ctr_encrypt(key_of(kKey), iv_of(iv), "The quick brown fox jumps over the lazy dog, 42!"))),
            "52f0f9414cd301ce41ad95f08edf974a0968756b2ad69171a9b17c93e4728d6e74bf728cab558e4e66821ee2d328b64c");
  // The counter wraps from all ones to zero in the second block.
  const std::string ones = unhex("ffffffffffffffffffffffffffffffff");
  EXPECT_EQ(to_hex(bytes(sm4_ctr_encrypt(key_of(kKey), iv_of(ones), "ab"))), "0973");
  EXPECT_EQ(to_hex(bytes(sm4_ctr_encrypt(key_of(kKey), iv_of(ones), "0123456789abcdef0123"))),
            "58209d4d3d4652d0bec224ac3efe05961646c658");
}

TEST(Sm4Ctr, RoundTripsAnyLength) {
  const std::string iv = unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  std::string plain;
  for (int n = 0; n < 70; ++n) {
    const std::string cipher = sm4_ctr_encrypt(key_of(kKey), iv_of(iv), plain);
    ASSERT_EQ(cipher.size(), plain.size());
    if (!plain.empty()) {
      EXPECT_NE(cipher, plain);
    }
    EXPECT_EQ(sm4_ctr_decrypt(key_of(kKey), iv_of(iv), cipher), plain);
    plain += static_cast<char>('0' + n % 10);
  }
}

TEST(Sm4Ctr, KeyAndIvBothMatter) {
  const std::string iv1 = unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  const std::string iv2 = unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeae");
  const std::string key2 = unhex("0123456789abcdeffedcba9876543211");
  const std::string plain = "620102201501010018";
  const std::string base = sm4_ctr_encrypt(key_of(kKey), iv_of(iv1), plain);
  EXPECT_NE(base, sm4_ctr_encrypt(key_of(kKey), iv_of(iv2), plain));
  EXPECT_NE(base, sm4_ctr_encrypt(key_of(key2), iv_of(iv1), plain));
  EXPECT_NE(sm4_ctr_decrypt(key_of(key2), iv_of(iv1), base), plain);
}

// Each thread has its own context: results do not depend on which thread ran.
TEST(Sm4Ctr, SameResultOnEveryThread) {
  const std::string iv = unhex("000102030405060708090a0b0c0d0e0f");
  const std::string expected = sm4_ctr_encrypt(key_of(kKey), iv_of(iv), "110101200001011234");
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) results[t] = sm4_ctr_encrypt(key_of(kKey), iv_of(iv), "110101200001011234");
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, expected);
}

}  // namespace
}  // namespace zizhu::crypto
