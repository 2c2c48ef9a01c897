#include "crypto/sealed.h"

#include <cstdlib>

#include "crypto/base64.h"
#include "crypto/random.h"
#include "crypto/sm3.h"
#include "crypto/sm4_ctr.h"

namespace zizhu::crypto {

namespace {

constexpr size_t kMacBytes = 32;

std::span<const uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

void append_field(std::string& out, std::string_view field) {
  // Both fields are bounded (key ids 16 bytes, contexts 255) before we get here.
  out += static_cast<char>(static_cast<uint8_t>(field.size()));
  out += field;
}

Sm3Digest mac_of(const SecretKey& mac_key, std::string_view key_id, std::string_view context,
                 std::string_view iv_and_cipher) {
  std::string input;
  input.reserve(kSealedVersion.size() + 2 + key_id.size() + context.size() + iv_and_cipher.size());
  input += kSealedVersion;
  append_field(input, key_id);
  append_field(input, context);
  input += iv_and_cipher;
  return hmac_sm3(mac_key.bytes(), input);
}

std::string name_of(std::string_view key_id, std::string_view context) {
  return " (key " + std::string(key_id) + ", " + std::string(context) + ")";
}

}  // namespace

Sealer::Sealer(const KeyRing& ring) {
  for (const std::string& id : ring.ids()) {
    // derive() cannot fail for an id the ring itself listed.
    keys_.push_back(Keys{id, *ring.derive(id, kLabelSm4), *ring.derive(id, kLabelMac)});
  }
  active_ = keys_.size() - 1;  // the ring's active key is its last
}

const Sealer::Keys* Sealer::find(std::string_view key_id) const {
  for (const Keys& k : keys_) {
    if (k.id == key_id) return &k;
  }
  return nullptr;
}

std::string Sealer::seal(std::string_view context, std::string_view plain) const {
  if (context.size() > kSealedContextBytesMax) std::abort();  // a programming error, not outside input
  const Keys& keys = keys_[active_];
  std::array<uint8_t, kSm4IvBytes> iv{};
  random_fill(iv);
  std::string body(reinterpret_cast<const char*>(iv.data()), iv.size());
  body += sm4_ctr_encrypt(keys.sm4.first<kSm4KeyBytes>(), iv, plain);
  const Sm3Digest mac = mac_of(keys.mac, keys.id, context, body);
  body.append(reinterpret_cast<const char*>(mac.data()), mac.size());
  std::string out;
  out.reserve(kSealedVersion.size() + keys.id.size() + 2 + (body.size() + 2) / 3 * 4);
  out += kSealedVersion;
  out += '.';
  out += keys.id;
  out += '.';
  out += base64url_encode(body);
  return out;
}

std::string_view Sealer::key_id_of(std::string_view sealed) {
  if (sealed.size() < kSealedVersion.size() + 1 || sealed.substr(0, kSealedVersion.size()) != kSealedVersion ||
      sealed[kSealedVersion.size()] != '.') {
    return {};
  }
  sealed.remove_prefix(kSealedVersion.size() + 1);
  const size_t dot = sealed.find('.');
  if (dot == std::string_view::npos) return {};
  const std::string_view id = sealed.substr(0, dot);
  return valid_key_id(id) ? id : std::string_view();
}

Result<std::string> Sealer::open(std::string_view context, std::string_view sealed) const {
  const std::string_view key_id = key_id_of(sealed);
  if (key_id.empty()) {
    return fail("NOT_SEALED", "存储的值不是加密格式 (stored value is not sealed: v1.<key>.<data> expected" +
                                  std::string(context.empty() ? "" : ", " + std::string(context)) +
                                  "); 数据库是否在未配置密钥时写入？(was it written without keys?)");
  }
  const Keys* keys = find(key_id);
  if (keys == nullptr) {
    return fail("UNKNOWN_KEY", "值由密钥 " + std::string(key_id) + " 加密，但该密钥不在密钥环中" +
                                   name_of(key_id, context) + " (sealed with a key that is not in the ring)");
  }
  const std::string_view data = sealed.substr(kSealedVersion.size() + 1 + key_id.size() + 1);
  auto body = base64url_decode(data);
  if (!body || body->size() < kSm4IvBytes + kMacBytes) {
    return fail("TAMPERED", "加密值格式损坏" + name_of(key_id, context) + " (sealed value damaged)");
  }
  const std::string_view iv_and_cipher = std::string_view(*body).substr(0, body->size() - kMacBytes);
  const std::string_view mac = std::string_view(*body).substr(body->size() - kMacBytes);
  if (context.size() > kSealedContextBytesMax) std::abort();
  const Sm3Digest expected = mac_of(keys->mac, key_id, context, iv_and_cipher);
  if (!equal_constant_time(expected, bytes_of(mac))) {
    return fail("TAMPERED", "加密值校验失败，可能被篡改或被移到了其他字段" + name_of(key_id, context) +
                                " (MAC mismatch: value changed, or moved from a column of another kind)");
  }
  const auto iv = bytes_of(iv_and_cipher).first<kSm4IvBytes>();
  return sm4_ctr_decrypt(keys->sm4.first<kSm4KeyBytes>(), iv, iv_and_cipher.substr(kSm4IvBytes));
}

}  // namespace zizhu::crypto
