// Streaming CSV reader (RFC 4180; UTF-8 with or without BOM, else GB18030).
#pragma once

#include <memory>
#include <string>

#include "io/table.h"

namespace zizhu::io {

Result<std::unique_ptr<TableReader>> open_csv(const std::string& path);

}  // namespace zizhu::io
