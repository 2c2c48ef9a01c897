#include "gen/out_buffer.h"

namespace zizhu::gen {

OutBuffer::~OutBuffer() {
  if (file_ != nullptr) std::fclose(file_);
}

Result<bool> OutBuffer::open(const std::string& path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) return fail("IO", "cannot create " + path, Location{path, 0, ""});
  len_ = 0;
  written_ = 0;
  failed_ = false;
  return true;
}

void OutBuffer::flush() {
  if (len_ == 0) return;
  if (file_ != nullptr && std::fwrite(buf_.data(), 1, len_, file_) != len_) failed_ = true;
  written_ += len_;
  len_ = 0;
}

Result<bool> OutBuffer::close() {
  flush();
  if (file_ == nullptr) return fail("IO", "file not open", Location{path_, 0, ""});
  const bool close_failed = std::fclose(file_) != 0;
  file_ = nullptr;
  if (failed_ || close_failed) return fail("IO", "cannot write " + path_, Location{path_, 0, ""});
  return true;
}

void OutBuffer::put_uint(uint64_t v) {
  char tmp[20];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  if (len_ + static_cast<size_t>(n) > buf_.size()) flush();
  while (n > 0) buf_[len_++] = tmp[--n];
}

void OutBuffer::put_digits(uint64_t v, int width) {
  if (len_ + static_cast<size_t>(width) > buf_.size()) flush();
  for (int i = width - 1; i >= 0; --i) {
    buf_[len_ + static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  len_ += static_cast<size_t>(width);
}

void OutBuffer::put_yuan(uint64_t fen) {
  put_uint(fen / 100);
  const uint64_t frac = fen % 100;
  if (frac == 0) return;
  put('.');
  if (frac % 10 == 0) {
    put(static_cast<char>('0' + frac / 10));
  } else {
    put_digits(frac, 2);
  }
}

}  // namespace zizhu::gen
