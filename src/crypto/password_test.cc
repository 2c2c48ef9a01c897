#include "crypto/password.h"

#include <gtest/gtest.h>

namespace zizhu::crypto {
namespace {

const PasswordHasher& fast() {
  static const PasswordHasher hasher(PasswordLimits::minimal());
  return hasher;
}

TEST(PasswordHasher, HashesWithArgon2idAndVerifies) {
  auto hash = fast().hash("correct horse battery staple");
  ASSERT_TRUE(hash.has_value()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$v=19$", 0), 0u) << *hash;
  EXPECT_TRUE(fast().verify(*hash, "correct horse battery staple"));
  EXPECT_FALSE(fast().verify(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(fast().verify(*hash, "Correct horse battery staple"));
  EXPECT_FALSE(fast().verify(*hash, ""));
  // A salt per hash: the same password never hashes the same twice.
  EXPECT_NE(*hash, *fast().hash("correct horse battery staple"));
}

TEST(PasswordHasher, GarbageIsNeverAMatch) {
  EXPECT_FALSE(fast().verify("", ""));
  EXPECT_FALSE(fast().verify("plain-text-password", "plain-text-password"));
  EXPECT_FALSE(fast().verify(std::string(300, '$'), "x"));
  auto hash = fast().hash("密码也可以是中文的很长一句话");
  ASSERT_TRUE(hash.has_value());
  std::string changed = *hash;
  changed.back() = changed.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(fast().verify(changed, "密码也可以是中文的很长一句话"));
  EXPECT_TRUE(fast().verify(*hash, "密码也可以是中文的很长一句话"));
}

TEST(PasswordHasher, HashOfTheDefaultCostVerifiesAndNeedsNoRehash) {
  const PasswordHasher interactive;  // the production cost: one hash, a few tens of ms
  auto hash = interactive.hash("a sturdy passphrase");
  ASSERT_TRUE(hash.has_value());
  EXPECT_FALSE(interactive.needs_rehash(*hash));
  EXPECT_TRUE(fast().needs_rehash(*hash));
  // Hashes carry their limits: the cheap hasher still verifies it.
  EXPECT_TRUE(fast().verify(*hash, "a sturdy passphrase"));
  EXPECT_TRUE(interactive.needs_rehash(*fast().hash("a sturdy passphrase")));
  EXPECT_TRUE(interactive.needs_rehash("not a hash"));
}

TEST(PasswordHasher, RefusesPasswordsBeyondTheBound) {
  auto hash = fast().hash(std::string(kPasswordBytesMax + 1, 'a'));
  ASSERT_FALSE(hash.has_value());
  EXPECT_EQ(hash.error().code, "WEAK_PASSWORD");
  EXPECT_TRUE(fast().hash(std::string(kPasswordBytesMax, 'a')).has_value());
}

// --- rules -----------------------------------------------------------------------------

CommonPasswords small_list() { return CommonPasswords::from_lines("#!comment: a list\n123456\nPassword\r\nletmein\n"); }

std::string broken_rule(std::string_view password, std::string_view username = "") {
  auto ok = check_password_rules(password, username, small_list());
  if (ok) return "";
  EXPECT_EQ(ok.error().code, "WEAK_PASSWORD");
  return ok.error().message;
}

TEST(PasswordRules, AtLeastTwelveCharactersCountedAsCodePoints) {
  EXPECT_EQ(broken_rule("abcdefghij1"), "密码至少 12 个字符");  // 11
  EXPECT_EQ(broken_rule("abcdefghij12"), "");
  // 11 Chinese characters are 33 bytes, but still 11 characters.
  EXPECT_EQ(broken_rule("春眠不觉晓处处闻啼鸟夜"), "密码至少 12 个字符");
  EXPECT_EQ(broken_rule("春眠不觉晓处处闻啼鸟夜来"), "");
  EXPECT_EQ(utf8_code_points("春眠a"), 3u);
  EXPECT_EQ(utf8_code_points("\xF0\x9F\x94\x91"), 1u);  // U+1F511, four bytes
}

TEST(PasswordRules, InvalidUtf8IsRefused) {
  EXPECT_NE(broken_rule("abcdefghijkl\xff"), "");
  EXPECT_NE(broken_rule("abcdefghijkl\xC0\xAF"), "");              // overlong '/'
  EXPECT_NE(broken_rule("abcdefghijkl\xED\xA0\x80"), "");          // a surrogate
  EXPECT_NE(broken_rule("abcdefghijkl\xE6\x98"), "");              // cut short
  EXPECT_FALSE(utf8_code_points("\xF4\x90\x80\x80").has_value());  // above U+10FFFF
}

TEST(PasswordRules, OneRepeatedCharacterIsRefused) {
  EXPECT_EQ(broken_rule("aaaaaaaaaaaaaaaa"), "密码不能由同一个字符重复组成");
  EXPECT_EQ(broken_rule("好好好好好好好好好好好好"), "密码不能由同一个字符重复组成");
  EXPECT_EQ(broken_rule("aaaaaaaaaaaaaaab"), "");
}

TEST(PasswordRules, NotTheUserNameNorContainingIt) {
  EXPECT_EQ(broken_rule("zhangxiaoming", "zhangxiaoming"), "密码不能包含用户名");
  EXPECT_EQ(broken_rule("ZhangXiaoMing", "zhangxiaoming"), "密码不能包含用户名");
  EXPECT_EQ(broken_rule("my-ZHANGXM-2024!", "zhangxm"), "密码不能包含用户名");
  EXPECT_EQ(broken_rule("the quick brown fox", "zhangxm"), "");
  // Two-letter names are not searched inside a password (only equality).
  EXPECT_EQ(broken_rule("a lively little lion", "li"), "");
}

TEST(PasswordRules, CommonPasswordsComparedWithoutCase) {
  const CommonPasswords list = CommonPasswords::from_lines("averylongcommonpassword\n#!comment\n");
  EXPECT_TRUE(list.contains("AVeryLongCommonPassword"));
  EXPECT_FALSE(list.contains("#!comment"));
  auto refused = check_password_rules("AVeryLongCommonPassword", "", list);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "WEAK_PASSWORD");
  EXPECT_EQ(refused.error().message, "密码过于常见，请换一个不易猜到的密码");
  // The long passwords added to every list.
  EXPECT_EQ(broken_rule("1qaz2wsx3edc"), "密码过于常见，请换一个不易猜到的密码");
  EXPECT_EQ(broken_rule("Password1234"), "密码过于常见，请换一个不易猜到的密码");
}

// The list Debian ships in john-data (scripts/install.sh installs it).
TEST(PasswordRules, DefaultListIsJohnsList) {
  auto list = default_common_passwords();
  ASSERT_TRUE(list.has_value()) << list.error().message;
  EXPECT_GT((*list)->size(), 3000u);
  EXPECT_TRUE((*list)->contains("password1"));
  EXPECT_TRUE((*list)->contains("WinnieThePooh"));  // its one entry of 12 characters or more
  EXPECT_FALSE((*list)->contains("#!comment: This list has been compiled by Solar Designer of Openwall Project"));
  auto refused = check_password_rules("winniethepooh", "admin");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "WEAK_PASSWORD");
  EXPECT_TRUE(check_password_rules("沿着河边走到第三棵柳树下", "admin").has_value());
}

TEST(PasswordRules, MissingListIsAnError) {
  auto list = CommonPasswords::load("/nonexistent/password.lst");
  ASSERT_FALSE(list.has_value());
  EXPECT_EQ(list.error().code, "PASSWORD_LIST");
  EXPECT_NE(list.error().message.find("john-data"), std::string::npos);
}

}  // namespace
}  // namespace zizhu::crypto
