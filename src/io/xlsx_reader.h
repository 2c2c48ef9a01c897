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
  uint64_t shared_strings_bytes_max = 1ull << 30;
  uint32_t columns_max = 16384;                // Excel's own limit (XFD)
  uint32_t rows_max = 1048576;                 // Excel's own limit
};

Result<std::unique_ptr<TableReader>> open_xlsx(const std::string& path, const XlsxLimits& limits = {});

}  // namespace zizhu::io
