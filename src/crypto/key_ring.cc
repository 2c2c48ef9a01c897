#include "crypto/key_ring.h"

#include <sodium.h>

#include <cstdlib>

#include "crypto/random.h"
#include "crypto/sm3.h"

namespace zizhu::crypto {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// The 64 hex digits of a key, decoded straight into `out` so that no
// heap string holds the material.
bool parse_key_hex(std::string_view hex, std::array<uint8_t, SecretKey::kBytes>& out) {
  if (hex.size() != 2 * SecretKey::kBytes) return false;
  size_t bin_len = 0;
  const int rc = sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &bin_len, nullptr);
  return rc == 0 && bin_len == out.size();
}

std::string where(std::string_view source, size_t line) {
  return std::string(source) + " 第 " + std::to_string(line) + " 行 (line " + std::to_string(line) + ")";
}

}  // namespace

bool valid_key_id(std::string_view key_id) {
  if (key_id.empty() || key_id.size() > kKeyIdBytesMax) return false;
  for (char c : key_id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<KeyRing> KeyRing::parse(std::string_view text, std::string_view source) {
  ensure_sodium();
  if (text.size() > kKeyTextBytesMax) {
    return fail("KEY_FILE",
                std::string(source) + " 过大 (too large for a key list: " + std::to_string(text.size()) + " bytes)");
  }
  KeyRing ring;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_no;
    // The comment goes first, so that a ';' inside one splits nothing.
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    while (!line.empty()) {
      const size_t semi = line.find(';');
      const std::string_view item = trim(line.substr(0, semi));
      line.remove_prefix(semi == std::string_view::npos ? line.size() : semi + 1);
      if (item.empty()) continue;
      if (auto added = ring.add(item, source, line_no); !added) return tl::unexpected(added.error());
    }
  }
  if (ring.entries_.empty()) {
    return fail("NO_KEYS", std::string(source) + " 中没有密钥 (no key listed; create one with `zizhu keys init`)");
  }
  return ring;
}

Result<void> KeyRing::add(std::string_view item, std::string_view source, size_t line_no) {
  size_t gap = 0;
  while (gap < item.size() && !is_blank(item[gap])) ++gap;
  const std::string_view id = item.substr(0, gap);
  const std::string_view hex = trim(item.substr(gap));
  if (!valid_key_id(id)) {
    return fail("KEY_FILE", where(source, line_no) +
                                ": 密钥编号应为 1-16 个字母、数字、_ 或 - (a key id is 1-16 of A-Z a-z 0-9 _ -)");
  }
  Entry entry{std::string(id), {}, {}};
  std::array<uint8_t, SecretKey::kBytes> raw{};
  const bool ok = parse_key_hex(hex, raw);
  entry.master = SecretKey(raw);
  sodium_memzero(raw.data(), raw.size());
  if (!ok) {
    return fail("KEY_FILE", where(source, line_no) + ": 密钥 " + entry.id +
                                " 应为 64 位十六进制数 (a key is 64 hex digits, 32 bytes)");
  }
  if (contains(entry.id)) {
    return fail("KEY_FILE", where(source, line_no) + ": 密钥编号 " + entry.id + " 重复 (key id listed twice)");
  }
  if (entries_.size() == kKeyRingKeysMax) {
    return fail("KEY_FILE", std::string(source) + ": 密钥超过 " + std::to_string(kKeyRingKeysMax) +
                                " 个 (too many keys; drop the oldest once nothing is sealed with them)");
  }
  Sm3Digest audit = hmac_sm3(entry.master.bytes(), kLabelAudit);
  entry.audit = SecretKey(audit);
  sodium_memzero(audit.data(), audit.size());
  entries_.push_back(std::move(entry));
  return {};
}

Result<KeyRing> KeyRing::from_environment() {
  const char* value = std::getenv(std::string(kKeysEnvVar).c_str());
  if (value == nullptr || *value == '\0') {
    return fail("NO_KEYS", "未设置 ZIZHU_KEYS，也未指定密钥文件 (no key file given and ZIZHU_KEYS is not set)");
  }
  return parse(value, kKeysEnvVar);
}

Result<KeyRing> KeyRing::load(const std::string& key_file) {
  return key_file.empty() ? from_environment() : load_file(key_file);
}

std::vector<std::string> KeyRing::ids() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.id);
  return out;
}

const KeyRing::Entry* KeyRing::find(std::string_view key_id) const {
  for (const Entry& e : entries_) {
    if (e.id == key_id) return &e;
  }
  return nullptr;
}

Result<SecretKey> KeyRing::derive(std::string_view key_id, std::string_view label) const {
  const Entry* e = find(key_id);
  if (e == nullptr) return fail("UNKNOWN_KEY", "密钥 " + std::string(key_id) + " 不在密钥环中 (key not in the ring)");
  Sm3Digest digest = hmac_sm3(e->master.bytes(), label);
  SecretKey key(digest);
  sodium_memzero(digest.data(), digest.size());
  return key;
}

Result<std::span<const uint8_t>> KeyRing::audit_key(std::string_view key_id) const {
  const Entry* e = find(key_id);
  if (e == nullptr) return fail("UNKNOWN_KEY", "密钥 " + std::string(key_id) + " 不在密钥环中 (key not in the ring)");
  return std::span<const uint8_t>(e->audit.bytes());
}

}  // namespace zizhu::crypto
