// Evidence files (证明材料: scans and photos of 低保证, 残疾证, ...) kept
// outside the database, encrypted at rest, addressed by content.
//
// A file is named by the SM3 of its plain bytes and stored as
//   <root>/<hash[0:2]>/<hash[2:4]>/<hash>.blob
// holding a header (key id, kind, size, hash, IV), the bytes encrypted with
// SM4-CTR, and an HMAC-SM3 over all of it (encrypt-then-MAC; the format is in
// docs/evidence.md). The keys are derived from the installation's KeyRing
// (labels kLabelBlobSm4 and kLabelBlobMac), so the files are unreadable
// without the key file, like the sealed columns of the database. Plain bytes
// never reach the disk: they are encrypted in memory and written once.
//
// The same content put twice gives the same BlobRef and one file. The
// database keeps the BlobRef (hash, size, kind) next to the application it
// belongs to; get() checks that the file is the one the reference names.
//
// Thread-safe: put and get keep no state; concurrent puts of the same content
// each write their own temporary file and rename it into place atomically.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "crypto/key_ring.h"
#include "crypto/secret_key.h"
#include "io/file_kind.h"

namespace zizhu::store {

inline constexpr uint64_t kBlobBytesMaxDefault = 10 * 1024 * 1024;  // a phone photo is 2-6 MiB
// No option may raise the limit above this: get() reads a whole file into
// memory, and a file claiming more is corrupt.
inline constexpr uint64_t kBlobBytesHardMax = 256 * 1024 * 1024;

struct BlobRef {
  std::string sm3_hex;  // 64 lower-case hex digits: SM3 of the plain bytes
  uint64_t size_bytes = 0;
  io::FileKind kind = io::FileKind::kUnknown;

  bool operator==(const BlobRef&) const = default;
};

struct BlobStoreOptions {
  // Larger contents are refused by put() (BLOB_TOO_LARGE). At most
  // kBlobBytesHardMax (open() refuses more).
  uint64_t bytes_max = kBlobBytesMaxDefault;
};

// Error codes:
//   BLOB_TOO_LARGE   — put: more than bytes_max; nothing written.
//   BLOB_KIND        — put: the content is not of the kind given (checked
//                      with io::detect_file_kind), or the kind is kUnknown.
//   BLOB_BAD_REF     — get: the reference is not one put() could return
//                      (hash not 64 lower-case hex digits, kind unknown).
//   BLOB_MISSING     — get: no file for the reference.
//   BLOB_UNKNOWN_KEY — get: the file was sealed with a key not in the ring.
//   BLOB_CORRUPT     — get: the file is damaged, was changed, belongs to
//                      another reference, or was sealed with a different
//                      key of the same id.
//   BLOB_DIR_MODE    — open: the root exists and group or others may use it.
//   BLOB_IO          — the file system failed (message names the path).
// Messages name paths and hashes, never content.
class BlobStore {
 public:
  // Opens (creating, mode 0700, with any missing parents) the store rooted
  // at `root`. An existing root must not be accessible by group or others.
  // Derives the blob keys of every key in `ring`; the store keeps its own
  // copies and does not refer to `ring` afterwards.
  static Result<BlobStore> open(const std::string& root, const crypto::KeyRing& ring,
                                BlobStoreOptions options = {});

  // Stores `content`, which must be a file of `kind`, under the ring's
  // active key, and returns its reference. When a valid file for the same
  // content exists already, nothing is written (whatever key sealed it); a
  // damaged one is replaced.
  Result<BlobRef> put(std::string_view content, io::FileKind kind) const;

  // The plain bytes of `ref`, after the MAC has been checked (in constant
  // time, before decrypting) and the SM3 of the result equals ref.sm3_hex.
  Result<std::string> get(const BlobRef& ref) const;

  // Where the file of `ref` is (or would be). `ref.sm3_hex` must be valid.
  std::string path_of(const BlobRef& ref) const;
  const std::string& root() const { return root_; }
  uint64_t bytes_max() const { return options_.bytes_max; }

  // Copies the stored files under `root` (sealed as they are) into
  // `to_root`, which must not exist (created 0700, files 0600, each synced).
  // Files are immutable once named, so the copy may run while the server
  // writes: a file being written (a temporary name) is skipped. Returns the
  // number of files copied. For `zizhu backup`.
  static Result<uint64_t> copy_files(const std::string& root, const std::string& to_root);

  // Bytes the stored file of a content of `size_bytes` takes, sealed with a
  // key id of `key_id_bytes`: header + ciphertext + MAC.
  static uint64_t stored_bytes(uint64_t size_bytes, size_t key_id_bytes);

 private:
  struct Keys {
    std::string id;
    crypto::SecretKey sm4;  // first 16 bytes used
    crypto::SecretKey mac;
  };
  BlobStore(std::string root, BlobStoreOptions options) : root_(std::move(root)), options_(options) {}
  const Keys* find(std::string_view key_id) const;
  // Reads and opens the file at `path`, checked against `ref`.
  Result<std::string> read_checked(const std::string& path, const BlobRef& ref) const;
  std::string seal(std::string_view content, const BlobRef& ref) const;

  std::string root_;
  BlobStoreOptions options_;
  std::vector<Keys> keys_;
  size_t active_ = 0;
};

}  // namespace zizhu::store
