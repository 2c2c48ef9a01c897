// The key file on disk: reading it with a permission check, creating it, and
// adding a key for a rotation. Plain POSIX calls, because the mode bits and
// O_EXCL creation are the point.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/unique_fd.h"
#include "crypto/key_ring.h"
#include "crypto/random.h"

namespace zizhu::crypto {

namespace {

// A string that holds key material: wiped when it goes out of scope.
struct WipedString {
  std::string text;
  ~WipedString() { sodium_memzero(text.data(), text.size()); }
};

std::string os_error() { return std::strerror(errno); }

std::string mode_octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

Result<void> read_key_text(const std::string& path, WipedString& out) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    return fail("KEY_FILE", "无法打开密钥文件 " + path + " (cannot open the key file: " + os_error() + ")");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail("KEY_FILE", "无法读取密钥文件 " + path + " (" + os_error() + ")");
  if (!S_ISREG(st.st_mode)) return fail("KEY_FILE", "密钥文件 " + path + " 不是普通文件 (not a regular file)");
  // Checked on the open file, not the name, so a swap between check and read
  // cannot slip a readable file in.
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fail("KEY_FILE_MODE", "密钥文件 " + path + " 的权限为 " + mode_octal(st.st_mode) +
                                     "，同组或其他用户可以访问，拒绝使用；请执行 chmod 600 " + path +
                                     " (the key file must not be readable or writable by group or others)");
  }
  if (static_cast<uint64_t>(st.st_size) > kKeyTextBytesMax) {
    return fail("KEY_FILE", "密钥文件 " + path + " 过大 (too large for a key file)");
  }
  out.text.assign(static_cast<size_t>(st.st_size) + 1, '\0');
  size_t filled = 0;
  while (filled < out.text.size()) {
    const ssize_t n = ::read(fd.get(), out.text.data() + filled, out.text.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("KEY_FILE", "无法读取密钥文件 " + path + " (" + os_error() + ")");
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  if (filled > kKeyTextBytesMax) return fail("KEY_FILE", "密钥文件 " + path + " 过大 (too large for a key file)");
  sodium_memzero(out.text.data() + filled, out.text.size() - filled);
  out.text.resize(filled);
  return {};
}

void sync_parent_dir(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // Best effort: the file itself is already synced; this makes its name durable.
  if (fd.get() >= 0) ::fsync(fd.get());
}

// Creates `path` (refusing an existing one), mode 0600, with `content`,
// synced to disk; removed again on any failure.
Result<void> write_new_file(const std::string& path, std::string_view content) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      return fail("KEY_FILE_EXISTS", "密钥文件 " + path + " 已存在，拒绝覆盖 (the file exists; not overwritten)");
    }
    return fail("KEY_FILE", "无法创建密钥文件 " + path + " (" + os_error() + ")");
  }
  auto failed = [&path](const std::string& what) {
    ::unlink(path.c_str());
    return fail("KEY_FILE", "无法写入密钥文件 " + path + " (" + what + ")");
  };
  // A umask cannot widen 0600, but one like 0277 would narrow it to 0400.
  if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) return failed(os_error());
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failed(os_error());
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return failed(os_error());
  if (!fd.close()) return failed(os_error());
  sync_parent_dir(path);
  return {};
}

// "<id> <64 hex digits>\n" for a fresh random key.
void append_key_line(std::string& out, const std::string& id) {
  std::array<uint8_t, SecretKey::kBytes> raw{};
  random_fill(raw);
  std::array<char, 2 * SecretKey::kBytes + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  out += id;
  out += ' ';
  out.append(hex.data(), 2 * SecretKey::kBytes);
  out += '\n';
  sodium_memzero(raw.data(), raw.size());
  sodium_memzero(hex.data(), hex.size());
}

// k<n+1> where n is the highest number of an id of the form k<n>.
std::string next_key_id(const std::vector<std::string>& ids) {
  unsigned long highest = 0;
  for (const std::string& id : ids) {
    if (id.size() < 2 || id.size() > 10 || id[0] != 'k') continue;
    unsigned long n = 0;
    bool digits = true;
    for (size_t i = 1; i < id.size(); ++i) {
      if (id[i] < '0' || id[i] > '9') {
        digits = false;
        break;
      }
      n = n * 10 + static_cast<unsigned long>(id[i] - '0');
    }
    if (digits && n > highest) highest = n;
  }
  return "k" + std::to_string(highest + 1);
}

constexpr std::string_view kHeader =
    "# zizhu 密钥文件 (key file). 每行一个密钥：编号 64位十六进制；最后一行是当前密钥。\n"
    "# One key per line: <id> <64 hex digits>; the last line is the active key.\n"
    "# 权限必须为 600。与数据库分开备份：没有密钥，加密的数据无法恢复。\n"
    "# Mode must be 600. Back it up apart from the database: without it the sealed data is lost.\n";

}  // namespace

Result<KeyRing> KeyRing::load_file(const std::string& path) {
  WipedString text;
  if (auto read = read_key_text(path, text); !read) return tl::unexpected(read.error());
  return parse(text.text, path);
}

Result<std::string> KeyRing::generate_file(const std::string& path) {
  WipedString content{std::string(kHeader)};
  const std::string id = "k1";
  append_key_line(content.text, id);
  if (auto written = write_new_file(path, content.text); !written) return tl::unexpected(written.error());
  return id;
}

Result<std::string> KeyRing::write_with_new_key(const std::string& from_path, const std::string& to_path) {
  WipedString content;
  if (auto read = read_key_text(from_path, content); !read) return tl::unexpected(read.error());
  auto ring = parse(content.text, from_path);
  if (!ring) return tl::unexpected(ring.error());
  if (ring->ids().size() == kKeyRingKeysMax) {
    return fail("KEY_FILE", "密钥文件 " + from_path + " 已有 " + std::to_string(kKeyRingKeysMax) +
                                " 个密钥 (full; drop keys that nothing is sealed with any more)");
  }
  const std::string id = next_key_id(ring->ids());
  if (!content.text.empty() && content.text.back() != '\n') content.text += '\n';
  append_key_line(content.text, id);
  if (auto written = write_new_file(to_path, content.text); !written) return tl::unexpected(written.error());
  return id;
}

Result<void> KeyRing::replace_file(const std::string& staged_path, const std::string& path) {
  if (::rename(staged_path.c_str(), path.c_str()) != 0) {
    return fail("KEY_FILE", "无法用 " + staged_path + " 替换密钥文件 " + path + " (cannot rename: " + os_error() + ")");
  }
  sync_parent_dir(path);
  return {};
}

Result<std::string> KeyRing::append_new_key(const std::string& path) {
  const std::string staged = path + ".new";
  auto id = write_with_new_key(path, staged);
  if (!id) return id;
  if (auto replaced = replace_file(staged, path); !replaced) {
    ::unlink(staged.c_str());
    return tl::unexpected(replaced.error());
  }
  return id;
}

}  // namespace zizhu::crypto
