// The master keys of this installation. Keys come from a key file or the
// ZIZHU_KEYS environment variable, never from the database (server.md,
// Security). Each key has a short id ("k1", "k2", ...) that is written next to
// every value it seals, so that a rotation can add a key while values sealed
// with older ones stay readable; the LAST key listed is the active one, used
// for everything new.
//
// Format (file and variable alike), one key per line, `;` also ends a line
// (outside comments):
//   # comment
//   k1 5f0c...(64 hex digits = 32 bytes)
//   k2 a91e...                      <- active
//
// Masters are never used directly: each purpose has its own key,
// HMAC-SM3(master, label), with the labels below (docs/crypto.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "crypto/secret_key.h"

namespace zizhu::crypto {

inline constexpr std::string_view kLabelSm4 = "zizhu/sm4";             // first 16 bytes: the SM4 key
inline constexpr std::string_view kLabelMac = "zizhu/mac";             // HMAC-SM3 key of sealed values
inline constexpr std::string_view kLabelIndexPrefix = "zizhu/index/";  // + kind name: blind index keys
inline constexpr std::string_view kLabelAudit = "zizhu/audit";         // HMAC-SM3 key of the audit chain
inline constexpr std::string_view kLabelBlobSm4 = "zizhu/blob/sm4";    // first 16 bytes: SM4 key of evidence files
inline constexpr std::string_view kLabelBlobMac = "zizhu/blob/mac";    // HMAC-SM3 key of evidence files

inline constexpr std::string_view kKeysEnvVar = "ZIZHU_KEYS";
inline constexpr size_t kKeyRingKeysMax = 64;          // a rotation a month for five years fits
inline constexpr size_t kKeyTextBytesMax = 64 * 1024;  // a key file is a few hundred bytes
inline constexpr size_t kKeyIdBytesMax = 16;

class KeyRing {
 public:
  // Parses the text of a key file or of ZIZHU_KEYS. `source` names it in
  // error messages (the path, or "ZIZHU_KEYS"); key material never appears in
  // a message. Codes: "KEY_FILE" (format), "NO_KEYS".
  static Result<KeyRing> parse(std::string_view text, std::string_view source);

  // Reads a key file, refusing one that group or others may read or write
  // ("KEY_FILE_MODE", naming the file and the chmod to run).
  static Result<KeyRing> load_file(const std::string& path);
  // From ZIZHU_KEYS ("NO_KEYS" when unset or empty).
  static Result<KeyRing> from_environment();
  // `key_file` when given, else ZIZHU_KEYS: what the server and the commands use.
  static Result<KeyRing> load(const std::string& key_file);

  // Creates a new key file (mode 0600) holding one fresh random key, and
  // returns its id. Refuses to overwrite ("KEY_FILE_EXISTS").
  static Result<std::string> generate_file(const std::string& path);
  // Writes `to_path` (new, mode 0600): the content of `from_path` plus one
  // fresh key that becomes the active one. Returns the new id. `from_path`
  // is left as it was, so a rotation can reseal first and rename after.
  static Result<std::string> write_with_new_key(const std::string& from_path, const std::string& to_path);
  // Renames `staged_path` over `path` in one step (a crash leaves one file or
  // the other, never half of either) and makes the rename durable.
  static Result<void> replace_file(const std::string& staged_path, const std::string& path);
  // Adds a fresh active key to the file at `path` (written beside it as
  // PATH.new, then renamed over it) and returns its id.
  static Result<std::string> append_new_key(const std::string& path);

  KeyRing(KeyRing&&) noexcept = default;
  KeyRing& operator=(KeyRing&&) noexcept = default;
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  const std::string& active_id() const { return entries_.back().id; }
  // In the order of the file, the active one last.
  std::vector<std::string> ids() const;
  bool contains(std::string_view key_id) const { return find(key_id) != nullptr; }

  // HMAC-SM3(master of `key_id`, label); "UNKNOWN_KEY" for an id not in the
  // ring. For purposes of other layers (use a label under "zizhu/").
  Result<SecretKey> derive(std::string_view key_id, std::string_view label) const;
  // The audit chain's key for records written under `key_id` (derived once at
  // load; the span lives as long as the ring).
  Result<std::span<const uint8_t>> audit_key(std::string_view key_id) const;

 private:
  struct Entry {
    std::string id;
    SecretKey master;
    SecretKey audit;
  };
  KeyRing() = default;
  // Adds one "<id> <hex>" item, checked.
  Result<void> add(std::string_view item, std::string_view source, size_t line_no);
  const Entry* find(std::string_view key_id) const;

  std::vector<Entry> entries_;  // never empty
};

// True for an id the format accepts: 1 to 16 of [A-Za-z0-9_-] (no '.', which
// separates the parts of a sealed value).
bool valid_key_id(std::string_view key_id);

}  // namespace zizhu::crypto
