// The reading half of `zizhu import students`: the roster validated row by row
// with identify's roster validator (one set of rules for the import and the
// identification run), then handed to store_students().
#include "store/import_students.h"

#include <algorithm>
#include <string_view>

#include "core/student_no.h"
#include "identify/input/fields.h"
#include "identify/input/repeated.h"
#include "identify/input/schemas.h"
#include "identify/input/students.h"
#include "io/table.h"
#include "store/import_columns.h"

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
  auto summary = store_students(store, rows, path, school_code_column, rejects, options.scope_path,
                                options.now_ms, options.user_id);
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

// The checked row in the store's shape (views copied: they last only until
// the next row is read).
RosterStudent to_roster_student(long number, const identify::StudentRow& r) {
  RosterStudent s;
  s.row = number;
  s.student_no = std::string(r.student_no);
  s.name = std::string(r.name);
  if (!r.id_number.empty()) s.id_number = std::string(r.id_number);
  if (r.gender == 'M') s.gender = Gender::kMale;
  if (r.gender == 'F') s.gender = Gender::kFemale;
  s.birth_date = r.birth_date;
  s.school_code = std::string(r.school_code);
  s.school_code_value = s.school_code;  // trimmed and checked: 10 digits as written
  s.grade = r.grade;
  s.class_name = std::string(r.class_name);
  s.boarding = r.boarding;
  s.guardian_name = std::string(r.guardian_name);
  if (!r.guardian_id.empty()) s.guardian_id_number = std::string(r.guardian_id);
  if (!r.bank_card.empty()) s.bank_card = std::string(r.bank_card);
  return s;
}

}  // namespace

Result<ImportSummary> import_students(Store& store, const std::string& path, const StudentImportOptions& options,
                                      std::vector<Reject>* rejects_out) {
  using namespace identify::students_col;
  auto table = io::open_table(path);
  if (!table) return tl::unexpected(table.error());
  auto cols = resolve_columns(**table, identify::kStudentColumns);
  if (!cols) return tl::unexpected(cols.error());
  const io::HeaderMap header{cols->position, cols->names, std::nullopt};

  std::vector<RosterStudent> rows;
  std::vector<uint8_t> lower_x;  // per row: its 学籍号 was written with a final x (for duplicate rejects)
  std::vector<Reject> rejects;
  int64_t rows_read = 0;
  identify::StudentRow r;
  identify::RowFault fault;
  io::Row row;
  for (;;) {
    auto more = (*table)->next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    ++rows_read;
    if (!identify::check_student_row(row, header, options.reference_date, r, fault)) {
      const auto c = static_cast<size_t>(fault.column);
      rejects.push_back({path, row.number, header.names[c], std::string(cell_at(row, header.position[c]).text),
                         std::string(fault.reason)});
      continue;
    }
    rows.push_back(to_roster_student(row.number, r));
    lower_x.push_back(cell_at(row, header.position[kStudentNo]).text.back() == 'x' ? 1 : 0);
  }

  // Duplicates are judged among the otherwise-right rows only (identify.md):
  // every row of a 学籍号 given more than once is rejected, none is stored.
  std::vector<uint64_t> keys;
  keys.reserve(rows.size());
  for (const auto& s : rows) keys.push_back(*student_no_key(s.student_no));  // checked rows are well shaped
  const std::vector<uint8_t> duplicate = identify::mark_repeated(keys);
  std::vector<RosterStudent> unique;
  unique.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!duplicate[i]) {
      unique.push_back(std::move(rows[i]));
      continue;
    }
    std::string value = rows[i].student_no;  // as written: only a final x may differ
    if (lower_x[i]) value.back() = 'x';
    rejects.push_back({path, rows[i].row, header.names[kStudentNo], std::move(value),
                       std::string(identify::reason::kDuplicateStudentNo)});
  }
  return finish(store, path, unique, header.names[kSchoolCode], std::move(rejects), rows_read, options, rejects_out);
}

}  // namespace zizhu::store
