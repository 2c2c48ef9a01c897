// Rejected rows of an import, written like identify.md's rejects.csv:
// `file,row,column,value,reason`, fields quoted only when they hold a comma,
// a quote, a CR or an LF, "\n" line ends, UTF-8 without a BOM.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace zizhu::store {

struct Reject {
  std::string file;    // as given on the command line
  long row = 0;        // as a spreadsheet shows it: the header is row 1
  std::string column;  // the header as written in the file; empty when no single column is at fault
  std::string value;   // the trimmed value
  std::string reason;  // a code: identify.md's table, or UNKNOWN_SCHOOL, BAD_REGION_CODE, BAD_STAGE
};

// The whole file's text.
std::string format_rejects(const std::vector<Reject>& rejects);

// Writes the rejects to `path` (replacing it; error code REJECTS_WRITE); the header line alone when
// there are none, so that an old file never survives a clean import.
Result<void> write_rejects(const std::string& path, const std::vector<Reject>& rejects);

// The default place for an import's rejects: beside the database,
// "<db>.<what>-rejects.csv" (e.g. zizhu.db.students-rejects.csv).
std::string default_rejects_path(const std::string& db_path, std::string_view what);

}  // namespace zizhu::store
