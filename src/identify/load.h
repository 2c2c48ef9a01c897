// Loading the identification run's files (CSV or XLSX) into a Dataset: every
// row checked as identify.md says, bad rows turned into rejects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/policy.h"
#include "identify/dataset.h"

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

}  // namespace zizhu::identify
