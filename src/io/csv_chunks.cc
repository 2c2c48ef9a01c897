#include "io/csv_chunks.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>

#include "io/encoding.h"

namespace zizhu::io {

namespace detail {

struct CsvContent {
  CsvContent() = default;
  CsvContent(const CsvContent&) = delete;
  CsvContent& operator=(const CsvContent&) = delete;
  ~CsvContent() {
    if (mapped != nullptr) ::munmap(mapped, mapped_size);
  }
  std::string_view bytes() const {
    return mapped != nullptr ? std::string_view(static_cast<const char*>(mapped), mapped_size)
                             : std::string_view(owned);
  }

  std::string path;
  std::vector<std::string> header;
  void* mapped = nullptr;
  size_t mapped_size = 0;
  std::string owned;  // the file read or converted into memory when not mapped
};

}  // namespace detail

namespace {

using detail::CsvContent;

tl::unexpected<Error> io_error(const std::string& path, const std::string& what) {
  return fail("IO", what + "（" + std::strerror(errno) + "）: " + path, Location{path, 1, ""});
}

Result<void> load(CsvContent& c) {
  const int fd = ::open(c.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(c.path, "无法打开文件");
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<size_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
      c.mapped = p;
      c.mapped_size = size;
      ::madvise(p, size, MADV_SEQUENTIAL);
      ::close(fd);
      return {};
    }
  }
  // Not mappable (a pipe, an empty file): read it.
  char block[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, block, sizeof block);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return io_error(c.path, "读取文件失败");
    }
    if (n == 0) break;
    c.owned.append(block, static_cast<size_t>(n));
  }
  ::close(fd);
  return {};
}

// Validates the bytes as UTF-8 on several threads: each range starts at a
// byte that is not a continuation byte, so the ranges are valid exactly when
// the whole is.
bool valid_utf8_parallel(std::string_view bytes, int threads) {
  if (threads <= 1 || bytes.size() < (1u << 20)) return is_valid_utf8(bytes);
  std::vector<size_t> cuts{0};
  const auto n = static_cast<size_t>(threads);
  for (size_t k = 1; k < n; ++k) {
    size_t cut = std::max(cuts.back(), bytes.size() * k / n);
    for (int i = 0; i < 3 && cut < bytes.size() && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80; ++i)
      ++cut;
    cuts.push_back(cut);
  }
  cuts.push_back(bytes.size());
  std::atomic<bool> ok{true};
  std::vector<std::thread> pool;
  for (size_t k = 0; k < n; ++k) {
    pool.emplace_back([&, k] {
      if (!is_valid_utf8(bytes.substr(cuts[k], cuts[k + 1] - cuts[k]))) ok = false;
    });
  }
  for (auto& t : pool) t.join();
  return ok;
}

// Runs fn(0..n-1) on up to `threads` threads.
template <class Fn>
void parallel_for(size_t n, int threads, Fn fn) {
  const size_t workers = std::min(n, static_cast<size_t>(std::max(threads, 1)));
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  }
  for (auto& t : pool) t.join();
}

}  // namespace

const std::string& CsvChunkView::path() const { return content_->path; }
const std::vector<std::string>& CsvChunkView::header() const { return content_->header; }

Result<bool> CsvChunkView::next(Row& row) {
  const char* data = content_->bytes().data();
  for (;;) {
    if (parser_.parse(data, end_, pos_, true) != ParseStatus::kRecord) return false;
    ++row_;
    if (parser_.blank()) continue;
    row.number = row_;
    row.cells = parser_.cells();
    return true;
  }
}

const std::string& CsvFileChunks::path() const { return content_->path; }
const std::vector<std::string>& CsvFileChunks::header() const { return content_->header; }

CsvChunkView CsvFileChunks::chunk(int i) const {
  const Range& r = ranges_[static_cast<size_t>(i)];
  return CsvChunkView(content_, r.begin, r.end, r.rows_before);
}

Result<CsvFileChunks> CsvFileChunks::open(const std::string& path, int chunks) {
  chunks = std::clamp(chunks, 1, 256);
  auto content = std::make_shared<CsvContent>();
  content->path = path;
  if (auto r = load(*content); !r) return tl::unexpected(r.error());
  const int threads = std::min(chunks, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  size_t begin = 0;
  if (valid_utf8_parallel(content->bytes(), threads)) {
    if (content->bytes().starts_with(kUtf8Bom)) begin = kUtf8Bom.size();
  } else {
    auto text = csv_from_gb18030(path, content->bytes());
    if (!text) return tl::unexpected(text.error());
    if (content->mapped != nullptr) {
      ::munmap(content->mapped, content->mapped_size);
      content->mapped = nullptr;
    }
    content->owned = std::move(*text);
  }
  const std::string_view bytes = content->bytes();
  const char* data = bytes.data();
  const size_t size = bytes.size();

  // The header: the first record that is not blank.
  CsvRecordParser parser;
  long row = 0;
  size_t pos = begin;
  for (;;) {
    if (parser.parse(data, size, pos, true) != ParseStatus::kRecord)
      return fail("NO_HEADER", "文件没有表头行: " + path, Location{path, 1, ""});
    ++row;
    if (!parser.blank()) break;
  }
  for (const Cell& c : parser.cells()) content->header.emplace_back(c.text);

  // Pass 1, sequential: the record start at or after each nominal split
  // point. Only the lexical state is followed (one memchr per quote).
  CsvFileChunks out;
  const size_t body = pos;
  size_t cur = body;  // a record start
  for (int k = 1; k <= chunks; ++k) {
    Range r{cur, size, 0};
    if (k < chunks) {
      const size_t target = body + (size - body) * static_cast<size_t>(k) / static_cast<size_t>(chunks);
      if (target > cur) {
        const LexScan s = lex_scan(data + cur, data + target, LexState::kFieldStart, false);
        r.end = static_cast<size_t>(lex_next_record_start(data + target, data + size, s.state) - data);
      } else {
        r.end = cur;
      }
    }
    out.ranges_.push_back(r);
    cur = r.end;
  }
  // Pass 2, in parallel: the records in each chunk (each starts in a record).
  std::vector<long> records(out.ranges_.size(), 0);
  parallel_for(out.ranges_.size(), threads, [&](size_t i) {
    const Range& r = out.ranges_[i];
    if (r.end == r.begin) return;
    const LexScan s = lex_scan(data + r.begin, data + r.end, LexState::kFieldStart);
    records[i] = s.records_ended;
    // A last record without a line end (or inside an unterminated quote)
    // still counts.
    if (r.end == size && !(s.state == LexState::kFieldStart && data[size - 1] == '\n')) ++records[i];
  });
  for (size_t i = 0; i < out.ranges_.size(); ++i) {
    out.ranges_[i].rows_before = row;
    row += records[i];
  }
  out.records_total_ = row;
  out.content_ = std::move(content);
  return out;
}

}  // namespace zizhu::io
