#include "io/csv_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

#include "io/csv_record.h"
#include "io/encoding.h"

namespace zizhu::io {

namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// read() until `size` bytes or the end of the file; -1 on error.
ssize_t read_full(int fd, char* buf, size_t size) {
  size_t got = 0;
  while (got < size) {
    const ssize_t r = ::read(fd, buf + got, size - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

std::string errno_text() { return std::strerror(errno); }

class CsvReader final : public TableReader {
 public:
  CsvReader(std::string path, size_t block_bytes) : path_(std::move(path)), block_bytes_(block_bytes) {}

  const std::string& path() const override { return path_; }
  const std::vector<std::string>& header() const override { return header_; }

  Result<bool> next(Row& row) override {
    for (;;) {
      const ParseStatus st = parser_.parse(buf_.data(), end_, begin_, eof_);
      if (st == ParseStatus::kRecord) {
        ++row_;
        if (parser_.blank()) continue;
        row.number = row_;
        row.cells = parser_.cells();
        return true;
      }
      if (st == ParseStatus::kEnd) return false;
      if (auto r = refill(); !r) return tl::unexpected(r.error());
    }
  }

  Result<void> open() {
    fd_.reset(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd_.get() < 0) return io_error("无法打开文件（" + errno_text() + "）");
    // Pass 1: is the whole file UTF-8?
    buf_.resize(block_bytes_ < 4 ? 4 : block_bytes_);
    Utf8Validator utf8;
    bool bom = false;
    bool first = true;
    for (;;) {
      const ssize_t n = read_full(fd_.get(), buf_.data(), buf_.size());
      if (n < 0) return io_error("读取文件失败（" + errno_text() + "）");
      const std::string_view block(buf_.data(), static_cast<size_t>(n));
      if (first) bom = block.starts_with(kUtf8Bom);
      first = false;
      if (!utf8.feed(block) || n == 0) break;
    }
    if (utf8.finish()) {
      // Pass 2 streams from the start, past the BOM.
      const off_t start = bom ? static_cast<off_t>(kUtf8Bom.size()) : 0;
      if (::lseek(fd_.get(), start, SEEK_SET) < 0) return io_error("读取文件失败（" + errno_text() + "）");
    } else {
      if (auto r = load_gb18030(); !r) return r;
    }
    Row row;
    auto got = next(row);
    if (!got) return tl::unexpected(got.error());
    if (!*got) return fail("NO_HEADER", "文件没有表头行: " + path_, Location{path_, 1, ""});
    header_.reserve(row.cells.size());
    for (const Cell& c : row.cells) header_.emplace_back(c.text);
    return {};
  }

 private:
  tl::unexpected<Error> io_error(const std::string& what) const {
    return fail("IO", what + ": " + path_, Location{path_, row_ + 1, ""});
  }

  // Reads the whole file and converts it; the parser then runs on memory.
  Result<void> load_gb18030() {
    if (::lseek(fd_.get(), 0, SEEK_SET) < 0) return io_error("读取文件失败（" + errno_text() + "）");
    std::string bytes;
    for (;;) {
      const size_t old = bytes.size();
      bytes.resize(old + block_bytes_);
      const ssize_t n = read_full(fd_.get(), bytes.data() + old, block_bytes_);
      if (n < 0) return io_error("读取文件失败（" + errno_text() + "）");
      bytes.resize(old + static_cast<size_t>(n));
      if (static_cast<size_t>(n) < block_bytes_) break;
    }
    fd_.reset();
    auto text = csv_from_gb18030(path_, bytes);
    if (!text) return tl::unexpected(text.error());
    buf_ = std::move(*text);
    begin_ = 0;
    end_ = buf_.size();
    eof_ = true;
    return {};
  }

  // Keeps the unparsed tail (the start of a record) and reads the next block
  // after it, growing the buffer when one record fills it.
  Result<void> refill() {
    if (begin_ > 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buf_.size() - end_ < block_bytes_) buf_.resize(end_ + (end_ > block_bytes_ ? end_ : block_bytes_));
    const ssize_t n = read_full(fd_.get(), buf_.data() + end_, buf_.size() - end_);
    if (n < 0) return io_error("读取文件失败（" + errno_text() + "）");
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
    return {};
  }

  std::string path_;
  size_t block_bytes_;
  Fd fd_;
  std::vector<std::string> header_;
  std::string buf_;
  size_t begin_ = 0;  // start of the next record in buf_
  size_t end_ = 0;    // bytes of buf_ that hold input
  bool eof_ = false;
  long row_ = 0;  // records read so far
  CsvRecordParser parser_;
};

}  // namespace

Result<std::unique_ptr<TableReader>> open_csv(const std::string& path, const CsvReadOptions& options) {
  auto reader = std::make_unique<CsvReader>(path, options.block_bytes == 0 ? 1 : options.block_bytes);
  if (auto r = reader->open(); !r) return tl::unexpected(r.error());
  return std::unique_ptr<TableReader>(std::move(reader));
}

Result<std::unique_ptr<TableReader>> open_csv(const std::string& path) { return open_csv(path, CsvReadOptions{}); }

}  // namespace zizhu::io
