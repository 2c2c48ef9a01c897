// Passwords: argon2id hashes (libsodium) and the rules of server.md — at least
// 12 characters, not a common password, not the user name, not one character
// repeated. Messages are Chinese, for the person choosing the password; the
// code is always "WEAK_PASSWORD" so that clients can rely on it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/error.h"

namespace zizhu::crypto {

inline constexpr size_t kPasswordCharsMin = 12;    // Unicode code points
inline constexpr size_t kPasswordBytesMax = 1024;  // argon2 would take more, a login form need not

// How much work one hash costs. The defaults are libsodium's INTERACTIVE
// limits (about 64 MiB and a few tens of ms); tests and the demo seeding of
// thousands of users use minimal(). The limits are stored in each hash, so a
// hash made with other limits still verifies; needs_rehash tells when to
// replace it at the next login.
struct PasswordLimits {
  uint64_t ops = 0;
  size_t mem_bytes = 0;

  static PasswordLimits interactive();
  // The smallest argon2id accepts: for tests and demo data only.
  static PasswordLimits minimal();
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordLimits limits = PasswordLimits::interactive());

  // The encoded hash "$argon2id$v=19$m=...,t=...,p=1$salt$hash". Fails only
  // when memory for the hash cannot be had ("HASH"), or the password is
  // longer than kPasswordBytesMax ("WEAK_PASSWORD").
  Result<std::string> hash(std::string_view password) const;
  // false for a wrong password, and for a stored text that is not a hash.
  bool verify(std::string_view stored_hash, std::string_view password) const;
  // true when `stored_hash` was made with other limits (or is not a hash).
  bool needs_rehash(std::string_view stored_hash) const;

  const PasswordLimits& limits() const { return limits_; }

 private:
  PasswordLimits limits_;
};

// A list of passwords too common to allow, compared without regard to ASCII
// case.
class CommonPasswords {
 public:
  // John the Ripper's list (Debian package john-data): one password a line,
  // lines starting "#!comment" skipped. A few long ones common in China are
  // added, since that list has almost nothing of 12 characters or more.
  static Result<CommonPasswords> load(const std::string& path);
  static CommonPasswords from_lines(std::string_view text);
  bool contains(std::string_view password) const;
  size_t size() const { return words_.size(); }

 private:
  std::unordered_set<std::string> words_;  // ASCII lower case
};

inline constexpr std::string_view kCommonPasswordsPath = "/usr/share/john/password.lst";

// The list at kCommonPasswordsPath, loaded on first use and kept (thread-safe).
// An error when the file is missing: call it at start-up to find out early.
Result<const CommonPasswords*> default_common_passwords();

// Ok, or "WEAK_PASSWORD" with the first rule broken. The one-argument list
// form uses default_common_passwords(); when that list is missing the check
// fails closed ("PASSWORD_LIST").
Result<void> check_password_rules(std::string_view password, std::string_view username, const CommonPasswords& common);
Result<void> check_password_rules(std::string_view password, std::string_view username);

// Code points in UTF-8 text; nullopt when it is not valid UTF-8.
std::optional<size_t> utf8_code_points(std::string_view text);

}  // namespace zizhu::crypto
