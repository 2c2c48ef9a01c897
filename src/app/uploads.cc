#include "app/uploads.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/unique_fd.h"
#include "crypto/random.h"

namespace zizhu::app {

std::string table_kind(std::string_view content) {
  if (content.size() >= 4 && content.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return ".xlsx";
  // Text: no NUL bytes in the first 64 KiB and not a known binary format.
  const std::string_view head = content.substr(0, 64 * 1024);
  if (head.find('\0') != std::string_view::npos) return "";
  if (head.substr(0, 4) == "%PDF" || head.substr(0, 4) == "\x89PNG" || head.substr(0, 3) == "\xFF\xD8\xFF") return "";
  return ".csv";
}

Result<TempUpload> TempUpload::save(std::string_view content, std::string_view kind) {
  TempUpload upload(std::filesystem::temp_directory_path() /
                    ("zizhu-upload-" + crypto::random_token(12) + std::string(kind)));
  UniqueFd fd(::open(upload.path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    upload.path_.clear();  // not ours to remove
    return fail("IO", "无法保存上传的文件");
  }
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  if (!fd.close() || written != content.size()) return fail("IO", "无法保存上传的文件");
  return upload;
}

TempUpload::~TempUpload() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove(path_, ec);
}

Error upload_error(Error e, std::string_view shown_as, std::string_view unreadable_code) {
  // The temporary name means nothing to the user.
  e.where.file = std::string(shown_as);
  for (std::string_view code : {"IO", "NO_HEADER", "MISSING_COLUMN", "BAD_FILE_TYPE", "BAD_ENCODING", "XLSX"}) {
    if (e.code == code) e.code = std::string(unreadable_code);
  }
  return e;
}

}  // namespace zizhu::app
