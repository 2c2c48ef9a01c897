#include "crypto/password.h"

#include <sodium.h>

#include <fstream>
#include <iterator>

#include "core/ascii.h"
#include "crypto/random.h"

namespace zizhu::crypto {

namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// Long passwords often chosen in China that John's 1990s-2010 list lacks
// (it has hardly any of 12 characters or more).
constexpr std::string_view kExtraCommon[] = {
    "123456789012",  "1234567890123",  "12345678901234", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv",
    "qwertyuiop12",  "qwertyuiop123",  "qwertyuiopasdf", "asdfghjkl123", "zxcvbnm123456",
    "woaini1314520", "woaini5201314",  "abc123456789",   "abcd12345678", "a123456789012",
    "password1234",  "password123456", "iloveyou1234",   "admin1234567", "admin@123456",
    "p@ssw0rd1234",  "1234qwerasdf",   "qwer1234asdf",   "zizhu1234567", "zizhu@123456",
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

Result<void> weak(std::string message) { return fail("WEAK_PASSWORD", std::move(message)); }

// The code points of valid UTF-8 (no overlong forms, surrogates or values
// above U+10FFFF), appended to `out` when it is not null.
bool decode_utf8(std::string_view text, std::u32string* out) {
  size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<uint8_t>(text[i]);
    size_t extra = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      extra = 1;
      cp = b0 & 0x1Fu;
      min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      extra = 2;
      cp = b0 & 0x0Fu;
      min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      extra = 3;
      cp = b0 & 0x07u;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const auto b = static_cast<uint8_t>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    if (out != nullptr) out->push_back(cp);
    i += extra + 1;
  }
  return true;
}

}  // namespace

// --- limits and hashing ----------------------------------------------------------

PasswordLimits PasswordLimits::interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordLimits PasswordLimits::minimal() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordLimits limits) : limits_(limits) { ensure_sodium(); }

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  if (password.size() > kPasswordBytesMax) {
    return fail("WEAK_PASSWORD", "密码过长（最多 " + std::to_string(kPasswordBytesMax) + " 字节）");
  }
  char out[crypto_pwhash_STRBYTES] = {};
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), limits_.ops, limits_.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail("HASH", "无法计算密码散列：内存不足 (argon2id ran out of memory)");
  }
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view stored_hash, std::string_view password) const {
  // A stored text longer than any hash, or with a NUL inside, is not one of ours.
  if (stored_hash.size() >= crypto_pwhash_STRBYTES || stored_hash.find('\0') != std::string_view::npos) return false;
  if (stored_hash.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) return false;
  if (password.size() > kPasswordBytesMax) return false;
  const std::string terminated(stored_hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view stored_hash) const {
  if (stored_hash.size() >= crypto_pwhash_STRBYTES || stored_hash.find('\0') != std::string_view::npos) return true;
  if (stored_hash.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) return true;
  const std::string terminated(stored_hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), limits_.ops, limits_.mem_bytes) != 0;
}

// --- common passwords --------------------------------------------------------------

CommonPasswords CommonPasswords::from_lines(std::string_view text) {
  CommonPasswords list;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.substr(0, 2) == "#!") continue;
    list.words_.insert(lower(line));
  }
  for (std::string_view extra : kExtraCommon) list.words_.insert(std::string(extra));
  return list;
}

Result<CommonPasswords> CommonPasswords::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail("PASSWORD_LIST", "无法读取常见密码表 " + path +
                                     " (cannot read the common-password list; install the Debian package john-data)");
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return from_lines(text);
}

bool CommonPasswords::contains(std::string_view password) const { return words_.contains(lower(password)); }

Result<const CommonPasswords*> default_common_passwords() {
  // Loaded once, on first use, by whichever thread comes first.
  static const Result<CommonPasswords> list = CommonPasswords::load(std::string(kCommonPasswordsPath));
  if (!list) return tl::unexpected(list.error());
  return &*list;
}

// --- rules ---------------------------------------------------------------------------

std::optional<size_t> utf8_code_points(std::string_view text) {
  std::u32string points;
  if (!decode_utf8(text, &points)) return std::nullopt;
  return points.size();
}

Result<void> check_password_rules(std::string_view password, std::string_view username, const CommonPasswords& common) {
  if (password.size() > kPasswordBytesMax)
    return weak("密码过长（最多 " + std::to_string(kPasswordBytesMax) + " 字节）");
  std::u32string points;
  if (!decode_utf8(password, &points)) return weak("密码含有无效字符（不是有效的 UTF-8 文本）");
  if (points.size() < kPasswordCharsMin) return weak("密码至少 " + std::to_string(kPasswordCharsMin) + " 个字符");
  bool one_char = true;
  for (char32_t cp : points) one_char = one_char && cp == points.front();
  if (one_char) return weak("密码不能由同一个字符重复组成");
  if (!username.empty()) {
    const std::string pw = lower(password);
    const std::string user = lower(username);
    // Containment only for names of 3 characters or more: refusing every
    // password that contains a two-letter name such as "li" would refuse
    // good passwords and add nothing.
    const auto user_points = utf8_code_points(username).value_or(username.size());
    if (pw == user || (user_points >= 3 && pw.find(user) != std::string::npos)) {
      return weak("密码不能包含用户名");
    }
  }
  if (common.contains(password)) return weak("密码过于常见，请换一个不易猜到的密码");
  return {};
}

Result<void> check_password_rules(std::string_view password, std::string_view username) {
  auto common = default_common_passwords();
  if (!common) return tl::unexpected(common.error());
  return check_password_rules(password, username, **common);
}

}  // namespace zizhu::crypto
