#include "io/csv_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace zizhu::io {

namespace {
constexpr size_t kBufferBytes = 1 << 20;
}

CsvWriter::CsvWriter(std::string path, int fd, std::string* out)
    : path_(std::move(path)), fd_(fd), out_(out), buf_(kBufferBytes, '\0') {}

CsvWriter::~CsvWriter() {
  if (fd_ >= 0 || out_ != nullptr) (void)close();
}

Result<std::unique_ptr<CsvWriter>> CsvWriter::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return fail("IO", std::string("无法创建文件（") + std::strerror(errno) + "）: " + path, Location{path, 0, ""});
  return std::unique_ptr<CsvWriter>(new CsvWriter(path, fd, nullptr));
}

std::unique_ptr<CsvWriter> CsvWriter::to_string(std::string* out) {
  return std::unique_ptr<CsvWriter>(new CsvWriter("", -1, out));
}

void CsvWriter::field(std::string_view v) {
  if (row_started_) put(',');
  row_started_ = true;
  // Most values need no quoting; one pass over the bytes decides.
  bool quote = false;
  for (const char c : v) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    put(v.data(), v.size());
    return;
  }
  put('"');
  for (;;) {
    const size_t q = v.find('"');
    if (q == std::string_view::npos) break;
    put(v.data(), q + 1);
    put('"');  // the quote doubled
    v.remove_prefix(q + 1);
  }
  put(v.data(), v.size());
  put('"');
}

void CsvWriter::end_row() {
  put('\n');
  row_started_ = false;
}

void CsvWriter::row(std::span<const std::string_view> values) {
  for (const std::string_view v : values) field(v);
  end_row();
}

void CsvWriter::write_out(const char* p, size_t n) {
  if (out_ != nullptr) {
    out_->append(p, n);
    return;
  }
  while (n > 0 && error_ == 0 && fd_ >= 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      error_ = errno;
      break;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void CsvWriter::flush() {
  write_out(buf_.data(), used_);
  used_ = 0;
}

Result<void> CsvWriter::close() {
  flush();
  out_ = nullptr;
  if (fd_ >= 0) {
    if (::close(fd_) != 0 && error_ == 0) error_ = errno;
    fd_ = -1;
  }
  if (error_ != 0)
    return fail("IO", std::string("写入文件失败（") + std::strerror(error_) + "）: " + path_, Location{path_, 0, ""});
  return {};
}

}  // namespace zizhu::io
