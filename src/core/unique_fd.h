// A POSIX file descriptor closed when it goes out of scope, for the few
// places that need open(2) flags the standard streams cannot give (O_EXCL,
// O_NOFOLLOW, mode 0600 from the first moment, fsync of a directory).
#pragma once

#include <unistd.h>

namespace zizhu {

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  // close(2) can report a failed write-back on some file systems: callers
  // that wrote check it.
  bool close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0;
  }

 private:
  int fd_;
};

}  // namespace zizhu
