// libFuzzer target for the XLSX reader: any bytes must open and stream without
// a crash, a hang or unbounded memory (tight limits keep runs fast), and every
// row delivered must be numbered after the one before.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/xlsx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = memfd_create("xlsx_fuzz", 0);
  if (fd < 0) return 0;
  size_t off = 0;
  while (off < size) {
    const ssize_t w = write(fd, data + off, size - off);
    if (w <= 0) break;
    off += static_cast<size_t>(w);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  zizhu::io::XlsxLimits limits;
  limits.part_bytes_max = 8u << 20;
  limits.shared_strings_bytes_max = 4u << 20;
  limits.columns_max = 1000;
  limits.rows_max = 100000;
  auto reader = zizhu::io::open_xlsx(path, limits);
  if (reader) {
    zizhu::io::Row row;
    long last = 1;
    for (;;) {
      auto got = (*reader)->next(row);
      if (!got || !*got) break;
      if (row.number <= last || row.cells.size() > limits.columns_max) std::abort();
      last = row.number;
    }
  } else if (reader.error().code.empty()) {
    std::abort();
  }
  close(fd);
  return 0;
}
