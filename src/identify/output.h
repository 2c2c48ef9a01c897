// Writing the identification run's results: results.csv, schools.csv and
// rejects.csv exactly as identify.md lays them out, and results.xlsx for schools.
#pragma once

#include <string>

#include "core/error.h"
#include "core/policy.h"
#include "identify/dataset.h"
#include "identify/engine.h"

namespace zizhu::identify {

// Writes the three CSV files into `dir` (which must exist).
Result<void> write_outputs(const std::string& dir, const Dataset& data, const Policy& policy, const Outcome& out);

// results.xlsx: the rows of results.csv with Chinese headers and labels.
Result<void> write_results_xlsx(const std::string& path, const Dataset& data, const Policy& policy,
                                const Outcome& out);

// The rows of results.csv, in their order: a roster index, or for a
// NOT_ENROLLED application ~application index (the high bit set).
std::vector<uint32_t> result_rows(const Dataset& data, const Outcome& out);
inline bool is_not_enrolled_row(uint32_t r) { return (r & 0x80000000u) != 0; }
inline uint32_t application_of_row(uint32_t r) { return r & 0x7fffffffu; }

}  // namespace zizhu::identify
