// Loading the identification run's files (CSV or XLSX) into a Dataset: every
// row checked as identify.md says, bad rows turned into rejects.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/policy.h"
#include "identify/dataset.h"
#include "io/table.h"

namespace zizhu::identify {

struct InputPaths {
  std::string students;
  std::vector<std::string> lists;
  std::optional<std::string> applications;
  std::optional<std::string> history;
  std::optional<std::string> budgets;
};

// An error (exit 2 in the command) when a file is missing or unreadable or a
// required column is absent; rejected rows are not errors.
// `threads` splits a CSV roster into as many chunks read in parallel; the
// result is the same for any value.
Result<Dataset> load_dataset(const InputPaths& paths, const Policy& policy, int threads = 1);

// The same run's input as tables already open (the server builds them from
// the database: io/memory_table.h); each table's path() names it in errors
// and rejects. Read as the files are, row by row, with the same checks.
struct InputTables {
  std::unique_ptr<io::TableReader> students;
  std::vector<std::unique_ptr<io::TableReader>> lists;
  std::unique_ptr<io::TableReader> applications;
  std::unique_ptr<io::TableReader> history;
  std::unique_ptr<io::TableReader> budgets;
};
Result<Dataset> load_dataset(InputTables tables, const Policy& policy);

}  // namespace zizhu::identify
