// Streaming reader of the first worksheet of an .xlsx file (libzip + Expat).
#pragma once

#include <memory>
#include <string>

#include "io/table.h"

namespace zizhu::io {

// Limits that keep a hostile file (zip bomb, billion cells) from exhausting
// memory or time. Exceeding one is an error naming the file.
struct XlsxLimits {
  uint64_t part_bytes_max = 2ull << 30;        // uncompressed size of one part
  uint64_t compression_ratio_max = 200;        // uncompressed / compressed, per part
  uint64_t shared_strings_bytes_max = 1ull << 30;  // their text, plus 8 bytes per string
  // The text of one cell as stored. Excel holds at most 32767 UTF-16 units,
  // under 100 KiB of UTF-8; the margin is for other writers.
  uint64_t cell_bytes_max = 1ull << 20;
  uint32_t columns_max = 16384;                // Excel's own limit (XFD)
  uint32_t rows_max = 1048576;                 // Excel's own limit
};

Result<std::unique_ptr<TableReader>> open_xlsx(const std::string& path, const XlsxLimits& limits = {});

}  // namespace zizhu::io
