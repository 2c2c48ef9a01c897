// Streaming CSV reader (RFC 4180; UTF-8 with or without BOM, else GB18030).
//
// The encoding is judged on the whole file (identify.md): a first pass reads
// the file block by block and validates it as UTF-8; a second pass parses it in
// fixed-size blocks, so a UTF-8 file of any size is never held in memory whole.
// A file that is not UTF-8 is read whole and converted from GB18030 to UTF-8
// in memory (such files come from Excel on Windows and are small in practice).
// The grammar and its lenient corners are described in io/csv_record.h.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "io/table.h"

namespace zizhu::io {

struct CsvReadOptions {
  // Bytes read at a time; a record longer than this grows the buffer.
  // Tests use tiny blocks to exercise records that straddle blocks.
  size_t block_bytes = 1 << 20;
};

// The header is the first record that is not blank (blank records before it
// are skipped like any other, and counted). Errors name the file and the row:
// IO (cannot open or read), NO_HEADER (no non-blank record), BAD_ENCODING
// (neither UTF-8 nor GB18030).
Result<std::unique_ptr<TableReader>> open_csv(const std::string& path);
Result<std::unique_ptr<TableReader>> open_csv(const std::string& path, const CsvReadOptions& options);

}  // namespace zizhu::io
