// libFuzzer target for the CSV readers: any bytes must parse without a crash,
// and the chunked parser must give exactly the streaming reader's rows.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/csv_chunks.h"
#include "io/csv_reader.h"

namespace {

struct Flat {
  long number;
  std::vector<std::string> cells;
  bool operator==(const Flat&) const = default;
};

std::vector<Flat> drain(zizhu::io::TableReader& r) {
  std::vector<Flat> out;
  zizhu::io::Row row;
  for (;;) {
    auto got = r.next(row);
    if (!got || !*got) break;
    Flat f{row.number, {}};
    for (const auto& c : row.cells) f.cells.emplace_back(c.text);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = memfd_create("csv_fuzz", 0);
  if (fd < 0) return 0;
  size_t off = 0;
  while (off < size) {
    const ssize_t w = write(fd, data + off, size - off);
    if (w <= 0) break;
    off += static_cast<size_t>(w);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  // Small blocks make records straddle blocks.
  const size_t block = 1 + (size > 0 ? data[0] % 16 : 0);
  auto stream = zizhu::io::open_csv(path, zizhu::io::CsvReadOptions{block});
  const int chunks = 1 + static_cast<int>(size % 5);
  auto file = zizhu::io::CsvFileChunks::open(path, chunks);
  if (stream.has_value() != file.has_value()) std::abort();
  if (stream) {
    if ((*stream)->header() != file->header()) std::abort();
    const auto expected = drain(**stream);
    std::vector<Flat> got;
    for (int i = 0; i < file->chunk_count(); ++i) {
      auto view = file->chunk(i);
      auto part = drain(view);
      got.insert(got.end(), part.begin(), part.end());
    }
    if (got != expected) std::abort();
  } else if (stream.error().code != file.error().code) {
    std::abort();
  }
  close(fd);
  return 0;
}
