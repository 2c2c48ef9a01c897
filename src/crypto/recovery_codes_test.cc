#include "crypto/recovery_codes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace zizhu::crypto {
namespace {

TEST(RecoveryCodes, TenDistinctReadableCodes) {
  const auto codes = make_recovery_codes();
  ASSERT_EQ(codes.size(), 10u);
  const std::regex shape("[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}");
  for (const auto& code : codes) {
    EXPECT_TRUE(std::regex_match(code, shape)) << code;
    EXPECT_EQ(normalize_recovery_code(code), code);
  }
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size());
  EXPECT_NE(make_recovery_codes(), codes);
  EXPECT_EQ(make_recovery_codes(3).size(), 3u);
  EXPECT_EQ(make_recovery_codes(kRecoveryCodesMax + 5).size(), kRecoveryCodesMax);
}

TEST(RecoveryCodes, NormalisedAsTyped) {
  EXPECT_EQ(normalize_recovery_code("K7DQ 3M9X P2FA"), "k7dq-3m9x-p2fa");
  EXPECT_EQ(normalize_recovery_code(" k7dq3m9xp2fa "), "k7dq-3m9x-p2fa");
  EXPECT_EQ(normalize_recovery_code("k7-dq-3m-9x-p2-fa"), "k7dq-3m9x-p2fa");
  EXPECT_FALSE(normalize_recovery_code("k7dq-3m9x-p2f"));     // short
  EXPECT_FALSE(normalize_recovery_code("k7dq-3m9x-p2fa-a"));  // long
  EXPECT_FALSE(normalize_recovery_code("k7dq-3m9x-p2f0"));    // 0 is never used
  EXPECT_FALSE(normalize_recovery_code("k7dq-3m9x-p2f;"));
  EXPECT_FALSE(normalize_recovery_code(""));
}

}  // namespace
}  // namespace zizhu::crypto
