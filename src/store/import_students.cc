// The reading half of `zizhu import students`: the roster validated row by row
// with identify's roster validator (one set of rules for the import and the
// identification run), then handed to store_students().
#include "store/import_students.h"

#include <algorithm>

#include "io/table.h"

namespace zizhu::store {

namespace {

// Rejects in file-row order, as identify.md's rejects.csv.
void sort_rejects(std::vector<Reject>& rejects) {
  std::stable_sort(rejects.begin(), rejects.end(), [](const Reject& a, const Reject& b) { return a.row < b.row; });
}

// Stores the validated rows and writes the rejects file; shared by every
// reader of a roster.
Result<ImportSummary> finish(Store& store, const std::string& path, const std::vector<RosterStudent>& rows,
                             const std::string& school_code_column, std::vector<Reject> rejects, int64_t rows_read,
                             const StudentImportOptions& options, std::vector<Reject>* rejects_out) {
  const auto validator_rejects = static_cast<int64_t>(rejects.size());
  auto summary = store_students(store, rows, path, school_code_column, rejects);
  if (!summary) return tl::unexpected(summary.error());
  summary->rows_read = rows_read;
  summary->rejected += validator_rejects;
  sort_rejects(rejects);
  if (!options.rejects_path.empty()) {
    if (auto ok = write_rejects(options.rejects_path, rejects); !ok) return tl::unexpected(ok.error());
  }
  if (rejects_out != nullptr) *rejects_out = std::move(rejects);
  return summary;
}

}  // namespace

Result<ImportSummary> import_students(Store& store, const std::string& path, const StudentImportOptions& options,
                                      std::vector<Reject>* rejects_out) {
  auto table = io::open_table(path);
  if (!table) return tl::unexpected(table.error());
  // Waiting for identify's reusable roster validator (src/identify/input/):
  // it turns each row into a RosterStudent or a Reject, DUPLICATE_STUDENT_NO
  // included. Until it exists nothing is written.
  (void)finish;
  (void)store;
  (void)options;
  (void)rejects_out;
  return fail("NOT_BUILT",
              "学生名册校验尚未接入 (the roster validator from src/identify/input/ is not available yet): " + path,
              {path, 0, ""});
}

}  // namespace zizhu::store
