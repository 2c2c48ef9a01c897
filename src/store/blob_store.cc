// The evidence file store. Plain POSIX calls for the files, because the mode
// bits, O_EXCL creation, fsync and the atomic rename are the point.
#include "store/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <system_error>

#include "core/unique_fd.h"
#include "crypto/random.h"
#include "crypto/sm3.h"
#include "crypto/sm4_ctr.h"

namespace zizhu::store {

namespace {

// Layout (docs/evidence.md): every field before the ciphertext has a fixed
// length except the key id, which carries its own length; so no two headers
// give the same MAC input.
constexpr std::string_view kMagic = "ZZBLOB01";  // the format's version is in the last two characters
constexpr size_t kHashBytes = 32;
constexpr size_t kMacBytes = 32;
constexpr size_t kSizeFieldBytes = 8;
// magic, key id length, (key id), kind, size, hash, IV
constexpr size_t kHeaderFixedBytes = kMagic.size() + 1 + 1 + kSizeFieldBytes + kHashBytes + crypto::kSm4IvBytes;

std::string os_error(int err) { return std::error_code(err, std::generic_category()).message(); }

tl::unexpected<Error> io_error(const std::string& what, const std::string& path, int err) {
  return fail("BLOB_IO", "证明材料存储" + what + "失败: " + path + " (" + os_error(err) + ")");
}

std::span<const uint8_t> bytes_of(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

void append_be64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>(static_cast<uint8_t>(v >> shift));
}

uint64_t read_be64(std::string_view s, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < kSizeFieldBytes; ++i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool valid_ref(const BlobRef& ref) {
  return ref.sm3_hex.size() == 2 * kHashBytes && is_lower_hex(ref.sm3_hex) && ref.kind != io::FileKind::kUnknown &&
         static_cast<uint8_t>(ref.kind) <= static_cast<uint8_t>(io::FileKind::kPng) &&
         ref.size_bytes <= kBlobBytesHardMax;
}

std::string short_name(const BlobRef& ref) { return " (blob " + ref.sm3_hex + ")"; }

// fsync of a directory: makes the names in it (a new file, a rename, a new
// subdirectory) survive a crash.
Result<void> sync_dir(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("打开目录", dir, errno);
  if (::fsync(fd.get()) != 0) return io_error("同步目录", dir, errno);
  return {};
}

// Creates `dir` (mode 0700) inside `parent` unless it exists as a directory.
Result<void> ensure_dir(const std::string& dir, const std::string& parent) {
  if (::mkdir(dir.c_str(), S_IRWXU) == 0) {
    // A umask cannot widen 0700 but could narrow it; set it exactly.
    if (::chmod(dir.c_str(), S_IRWXU) != 0) return io_error("设置目录权限", dir, errno);
    return sync_dir(parent);
  }
  const int err = errno;
  if (err != EEXIST) return io_error("创建目录", dir, err);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return io_error("读取目录", dir, errno);
  if (!S_ISDIR(st.st_mode)) return fail("BLOB_IO", "证明材料存储路径不是目录: " + dir + " (not a directory)");
  return {};
}

Result<void> write_all(int fd, std::string_view data, const std::string& path) {
  size_t written = 0;
  // Each pass writes at least one byte or fails.
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("写入", path, n < 0 ? errno : EIO);
    written += static_cast<size_t>(n);
  }
  return {};
}

// Writes `data` to a new temporary file in `dir`, synced, then renames it
// to `path` and syncs `dir`: a crash leaves the old state or the whole new
// file, never part of one.
Result<void> write_atomically(const std::string& dir, const std::string& path, std::string_view data) {
  const std::string tmp = dir + "/.tmp-" + crypto::random_token(12);
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, S_IRUSR | S_IWUSR));
  if (fd.get() < 0) return io_error("创建临时文件", tmp, errno);
  auto failed = [&tmp](tl::unexpected<Error> e) {
    ::unlink(tmp.c_str());
    return e;
  };
  if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) return failed(io_error("设置文件权限", tmp, errno));
  if (auto w = write_all(fd.get(), data, tmp); !w) return failed(tl::unexpected(w.error()));
  if (::fsync(fd.get()) != 0) return failed(io_error("同步", tmp, errno));
  if (!fd.close()) return failed(io_error("关闭", tmp, errno));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return failed(io_error("重命名", path, errno));
  return sync_dir(dir);
}

}  // namespace

uint64_t BlobStore::stored_bytes(uint64_t size_bytes, size_t key_id_bytes) {
  return kHeaderFixedBytes + key_id_bytes + size_bytes + kMacBytes;
}

Result<uint64_t> BlobStore::copy_files(const std::string& root, const std::string& to_root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(to_root, ec)) return fail("BLOB_IO", "备份目录已存在，不覆盖: " + to_root + " (exists)");
  if (!fs::is_directory(root, ec)) return uint64_t{0};  // no evidence stored yet
  const std::string parent = fs::path(to_root).parent_path().empty() ? "." : fs::path(to_root).parent_path().string();
  if (auto ok = ensure_dir(to_root, parent); !ok) return tl::unexpected(ok.error());
  uint64_t copied = 0;
  // The layout is <root>/<aa>/<bb>/<hash>.blob: two levels of folders.
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it.depth() > 2) return fail("BLOB_IO", "证明材料存储目录结构异常: " + it->path().string());
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;  // a file being written, or not ours
    const fs::path relative = fs::relative(it->path(), root);
    const std::string target = (fs::path(to_root) / relative).string();
    if (it->is_directory()) {
      if (auto ok = ensure_dir(target, fs::path(target).parent_path().string()); !ok) return tl::unexpected(ok.error());
      continue;
    }
    if (!it->is_regular_file() || it->path().extension() != ".blob") continue;
    const uint64_t size = it->file_size();
    if (size > 2 * kBlobBytesHardMax) return fail("BLOB_IO", "证明材料文件过大: " + it->path().string());
    std::ifstream in(it->path(), std::ios::binary);
    std::string bytes(size, '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return io_error("读取", it->path().string(), EIO);
    if (auto ok = write_atomically(fs::path(target).parent_path().string(), target, bytes); !ok) {
      return tl::unexpected(ok.error());
    }
    ++copied;
  }
  if (ec) return io_error("读取目录", root, ec.value());
  return copied;
}

Result<BlobStore> BlobStore::open(const std::string& root, const crypto::KeyRing& ring, BlobStoreOptions options) {
  if (options.bytes_max == 0 || options.bytes_max > kBlobBytesHardMax) {
    return fail("BLOB_OPTIONS", "证明材料大小上限无效 (bytes_max must be 1 to " + std::to_string(kBlobBytesHardMax) +
                                    ", got " + std::to_string(options.bytes_max) + ")");
  }
  if (root.empty()) return fail("BLOB_OPTIONS", "未指定证明材料存储目录 (no root directory given)");
  std::filesystem::path root_path(root);
  std::error_code ec;
  const auto status = std::filesystem::status(root_path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    if (root_path.has_parent_path()) {
      std::filesystem::create_directories(root_path.parent_path(), ec);
      if (ec) return io_error("创建目录", root_path.parent_path().string(), ec.value());
    }
    const std::string parent = root_path.has_parent_path() ? root_path.parent_path().string() : ".";
    if (auto made = ensure_dir(root, parent); !made) return tl::unexpected(made.error());
  } else if (ec) {
    return io_error("读取目录", root, ec.value());
  }
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0) return io_error("读取目录", root, errno);
  if (!S_ISDIR(st.st_mode)) return fail("BLOB_IO", "证明材料存储路径不是目录: " + root + " (not a directory)");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fail("BLOB_DIR_MODE", "证明材料存储目录 " + root + " 同组或其他用户可以访问，拒绝使用；请执行 chmod 700 " +
                                     root + " (the directory must not be accessible by group or others)");
  }
  BlobStore store(root, options);
  for (const std::string& id : ring.ids()) {
    // derive() cannot fail for an id the ring itself listed.
    store.keys_.push_back(Keys{id, *ring.derive(id, crypto::kLabelBlobSm4), *ring.derive(id, crypto::kLabelBlobMac)});
  }
  store.active_ = store.keys_.size() - 1;  // the ring's active key is its last
  return store;
}

const BlobStore::Keys* BlobStore::find(std::string_view key_id) const {
  for (const Keys& k : keys_) {
    if (k.id == key_id) return &k;
  }
  return nullptr;
}

std::string BlobStore::path_of(const BlobRef& ref) const {
  if (!valid_ref(ref)) return {};
  const std::string_view h = ref.sm3_hex;
  return root_ + "/" + std::string(h.substr(0, 2)) + "/" + std::string(h.substr(2, 2)) + "/" + ref.sm3_hex + ".blob";
}

std::string BlobStore::seal(std::string_view content, const BlobRef& ref) const {
  const Keys& keys = keys_[active_];
  std::string hash;
  if (!crypto::from_hex(ref.sm3_hex, hash)) std::abort();  // made by put() from a digest
  std::array<uint8_t, crypto::kSm4IvBytes> iv{};
  crypto::random_fill(iv);
  std::string out;
  out.reserve(stored_bytes(content.size(), keys.id.size()));
  out += kMagic;
  out += static_cast<char>(static_cast<uint8_t>(keys.id.size()));  // at most kKeyIdBytesMax
  out += keys.id;
  out += static_cast<char>(static_cast<uint8_t>(ref.kind));
  append_be64(out, content.size());
  out += hash;
  out.append(reinterpret_cast<const char*>(iv.data()), iv.size());
  out += crypto::sm4_ctr_encrypt(keys.sm4.first<crypto::kSm4KeyBytes>(), iv, content);
  const crypto::Sm3Digest mac = crypto::hmac_sm3(keys.mac.bytes(), out);
  out.append(reinterpret_cast<const char*>(mac.data()), mac.size());
  return out;
}

Result<BlobRef> BlobStore::put(std::string_view content, io::FileKind kind) const {
  if (content.size() > options_.bytes_max) {
    return fail("BLOB_TOO_LARGE", "文件过大: " + std::to_string(content.size()) + " 字节，上限 " +
                                      std::to_string(options_.bytes_max) + " 字节 (file too large)");
  }
  const io::FileKindResult detected = io::detect_file_kind(content);
  if (kind == io::FileKind::kUnknown || detected.kind != kind) {
    return fail("BLOB_KIND", "文件内容不是 " + std::string(io::file_kind_name(kind)) + " 格式 (content is " +
                                 std::string(io::file_kind_name(detected.kind)) +
                                 (detected.problem.empty() ? "" : ": " + std::string(detected.problem)) + ")");
  }
  BlobRef ref{crypto::to_hex(crypto::sm3(content)), content.size(), kind};
  const std::string path = path_of(ref);
  if (auto existing = read_checked(path, ref)) {
    return ref;  // stored already
  } else if (existing.error().code == "BLOB_IO") {
    return tl::unexpected(existing.error());
  }
  // Missing, or damaged / sealed with a key no longer in the ring: (re)write.
  const std::string dir1 = root_ + "/" + ref.sm3_hex.substr(0, 2);
  const std::string dir2 = dir1 + "/" + ref.sm3_hex.substr(2, 2);
  if (auto made = ensure_dir(dir1, root_); !made) return tl::unexpected(made.error());
  if (auto made = ensure_dir(dir2, dir1); !made) return tl::unexpected(made.error());
  if (auto written = write_atomically(dir2, path, seal(content, ref)); !written) {
    return tl::unexpected(written.error());
  }
  return ref;
}

Result<std::string> BlobStore::get(const BlobRef& ref) const {
  if (!valid_ref(ref)) {
    return fail("BLOB_BAD_REF", "证明材料引用无效 (not a blob reference: 64 lower-case hex digits and a known kind)");
  }
  return read_checked(path_of(ref), ref);
}

Result<std::string> BlobStore::read_checked(const std::string& path, const BlobRef& ref) const {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT) return fail("BLOB_MISSING", "证明材料文件不存在" + short_name(ref) + " (no file at " + path + ")");
    if (err == ELOOP) return fail("BLOB_CORRUPT", "证明材料文件是符号链接" + short_name(ref) + " (" + path + ")");
    return io_error("打开", path, err);
  }
  auto corrupt = [&](const std::string& why) {
    return fail("BLOB_CORRUPT", "证明材料文件已损坏或被篡改" + short_name(ref) + " (" + why + ": " + path + ")");
  };
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("读取", path, errno);
  if (!S_ISREG(st.st_mode)) return corrupt("not a regular file");
  const uint64_t file_bytes = static_cast<uint64_t>(st.st_size);
  if (file_bytes < kHeaderFixedBytes + 1 + kMacBytes ||
      file_bytes > stored_bytes(kBlobBytesHardMax, crypto::kKeyIdBytesMax)) {
    return corrupt("impossible length");
  }
  // One byte more than fstat said, to notice a file that grew meanwhile.
  std::string data(static_cast<size_t>(file_bytes) + 1, '\0');
  size_t filled = 0;
  // Each pass reads at least one byte or ends the loop.
  while (filled < data.size()) {
    const ssize_t n = ::read(fd.get(), data.data() + filled, data.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("读取", path, errno);
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  if (filled != file_bytes) return corrupt("changed while read");
  data.resize(filled);
  const std::string_view file(data);

  if (file.substr(0, kMagic.size()) != kMagic) return corrupt("not a blob file of this version");
  size_t at = kMagic.size();
  const size_t id_bytes = static_cast<uint8_t>(file[at++]);
  if (id_bytes == 0 || id_bytes > crypto::kKeyIdBytesMax) return corrupt("bad key id");
  const std::string_view key_id = file.substr(at, id_bytes);
  at += id_bytes;
  if (!crypto::valid_key_id(key_id)) return corrupt("bad key id");
  const uint8_t kind = static_cast<uint8_t>(file[at++]);
  const uint64_t size_bytes = read_be64(file, at);
  at += kSizeFieldBytes;
  const std::string_view hash = file.substr(at, kHashBytes);
  at += kHashBytes;
  const std::string_view iv = file.substr(at, crypto::kSm4IvBytes);
  at += crypto::kSm4IvBytes;
  if (size_bytes > kBlobBytesHardMax || file_bytes != stored_bytes(size_bytes, id_bytes)) {
    return corrupt("length does not match the header");
  }
  const Keys* keys = find(key_id);
  if (keys == nullptr) {
    return fail("BLOB_UNKNOWN_KEY", "证明材料由密钥 " + std::string(key_id) + " 加密，但该密钥不在密钥环中" +
                                        short_name(ref) + " (sealed with a key that is not in the ring: " + path +
                                        ")");
  }
  const std::string_view authenticated = file.substr(0, file.size() - kMacBytes);
  const crypto::Sm3Digest expected = crypto::hmac_sm3(keys->mac.bytes(), authenticated);
  if (!crypto::equal_constant_time(expected, bytes_of(file.substr(file.size() - kMacBytes)))) {
    return corrupt("MAC mismatch: changed, or sealed with another key of id " + std::string(key_id));
  }
  // Authentic: now check that it is the blob the reference names (a file
  // moved or copied over another one's name is authentic but not this one).
  if (crypto::to_hex(bytes_of(hash)) != ref.sm3_hex || size_bytes != ref.size_bytes ||
      kind != static_cast<uint8_t>(ref.kind)) {
    return corrupt("the file holds another blob");
  }
  std::string plain = crypto::sm4_ctr_decrypt(keys->sm4.first<crypto::kSm4KeyBytes>(),
                                              bytes_of(iv).first<crypto::kSm4IvBytes>(), file.substr(at, size_bytes));
  if (crypto::to_hex(crypto::sm3(plain)) != ref.sm3_hex) return corrupt("SM3 of the content does not match");
  return plain;
}

}  // namespace zizhu::store
