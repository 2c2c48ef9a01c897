// SqliteStore: what the identification run reads (the roster with guardians'
// IDs) and what it leaves (runs and their result rows, migration 6).
#include <cstdint>
#include <string>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sensitive_columns.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/student_rows.h"

namespace zizhu::store::sqlite {

using repo::collect;
using repo::single_int;

namespace {

void bind_opt_int32(Statement& stmt, int param, const std::optional<int>& value) {
  if (value) {
    stmt.bind_int(param, *value);
  } else {
    stmt.bind_null(param);
  }
}

constexpr std::string_view kResultColumns =
    "r.row_no, r.student_id, r.school_id, r.status, r.level, r.amount_fen, r.score, r.categories, r.flags, r.rank,"
    " r.explanation";

Result<IdentificationResult> read_result(const Statement& s) {
  IdentificationResult r;
  r.row_no = s.int_at(0);
  r.student_id = s.opt_int_at(1);
  r.school_id = s.opt_int_at(2);
  r.status = s.text_at(3);
  if (auto v = s.opt_int_at(4)) r.level = static_cast<int>(*v);
  if (auto v = s.opt_int_at(5)) r.amount = Fen::from_fen(*v);
  r.score = static_cast<int>(s.int_at(6));
  r.categories = s.text_at(7);
  r.flags = s.text_at(8);
  if (auto v = s.opt_int_at(9)) r.rank = static_cast<int>(*v);
  r.explanation = s.text_at(10);
  return r;
}

}  // namespace

Result<std::vector<RosterRow>> SqliteStore::identification_roster(std::string_view path) {
  static const std::string sql = "SELECT " + std::string(kStudentColumns) +
                                 ", sc.school_code, g.id_number FROM school sc CROSS JOIN org_node n"
                                 " CROSS JOIN student st LEFT JOIN guardian g ON g.id = st.guardian_id"
                                 " WHERE n.id = sc.org_id AND st.school_id = sc.org_id AND n.path >= ? AND n.path < ?"
                                 " ORDER BY sc.school_code, st.id";
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high);
  return collect(
      *stmt,
      [this](const Statement& s) -> Result<RosterRow> {
        RosterRow r;
        auto student = read_student_row(db_, codec_, s);
        if (!student) return tl::unexpected(student.error());
        r.student = std::move(*student);
        r.school_code = s.text_at(13);
        auto guardian = read_sensitive(s, 14, codec_, SensitiveKind::kResidentId);
        if (!guardian) return tl::unexpected(guardian.error());
        r.guardian_id_number = std::move(*guardian);
        return r;
      },
      SIZE_MAX);
}

Result<int64_t> SqliteStore::add_identification_run(const IdentificationRunInput& run,
                                                    const std::vector<IdentificationResult>& results) {
  return atomically<int64_t>([&]() -> Result<int64_t> {
    auto head = db_.prepare(
        "INSERT INTO identification_run (cycle_id, school_id, policy_version, run_by, started_at_ms, finished_at_ms,"
        " students, results, rejects, results_sm3, schools_sm3) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!head) return tl::unexpected(head.error());
    head->bind_int(1, run.cycle_id);
    repo::bind_opt_int(*head, 2, run.school_id);
    head->bind_int(3, run.policy_version);
    repo::bind_opt_int(*head, 4, run.run_by);
    head->bind_int(5, run.started_at_ms)
        .bind_int(6, run.finished_at_ms)
        .bind_int(7, run.students)
        .bind_int(8, static_cast<int64_t>(results.size()))
        .bind_int(9, run.rejects)
        .bind_text(10, run.results_sm3)
        .bind_text(11, run.schools_sm3);
    auto id = single_int(*head);
    if (!id) return tl::unexpected(id.error());
    for (const auto& r : results) {
      auto stmt = db_.prepare(
          "INSERT INTO identification_result (run_id, row_no, student_id, school_id, status, level, amount_fen,"
          " score, categories, flags, rank, explanation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, *id).bind_int(2, r.row_no);
      repo::bind_opt_int(*stmt, 3, r.student_id);
      repo::bind_opt_int(*stmt, 4, r.school_id);
      stmt->bind_text(5, r.status);
      bind_opt_int32(*stmt, 6, r.level);
      repo::bind_opt_int(*stmt, 7, r.amount ? std::optional<int64_t>(r.amount->value()) : std::nullopt);
      stmt->bind_int(8, r.score).bind_text(9, r.categories).bind_text(10, r.flags);
      bind_opt_int32(*stmt, 11, r.rank);
      stmt->bind_text(12, r.explanation);
      if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
    }
    return *id;
  });
}

Result<std::vector<IdentificationRun>> SqliteStore::identification_runs(int64_t cycle_id) {
  auto stmt = db_.prepare(
      "SELECT id, cycle_id, school_id, policy_version, run_by, started_at_ms, finished_at_ms, students, results,"
      " rejects, results_sm3, schools_sm3 FROM identification_run WHERE cycle_id = ? ORDER BY id DESC");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  return collect(*stmt, [](const Statement& s) -> Result<IdentificationRun> {
    IdentificationRun r;
    r.id = s.int_at(0);
    r.run.cycle_id = s.int_at(1);
    r.run.school_id = s.opt_int_at(2);
    r.run.policy_version = static_cast<int>(s.int_at(3));
    r.run.run_by = s.opt_int_at(4);
    r.run.started_at_ms = s.int_at(5);
    r.run.finished_at_ms = s.int_at(6);
    r.run.students = s.int_at(7);
    r.results = s.int_at(8);
    r.run.rejects = s.int_at(9);
    r.run.results_sm3 = s.text_at(10);
    r.run.schools_sm3 = s.text_at(11);
    return r;
  });
}

Result<Page<IdentificationResult>> SqliteStore::identification_results(int64_t run_id, std::string_view path,
                                                                       bool with_unplaced, const ResultFilter& filter,
                                                                       int64_t offset, int64_t limit) {
  if (auto ok = repo::check_page(offset, limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  // The run's rows are read by the primary key (run_id, row_no); the
  // filters narrow that one run's rows, so no index of their own is needed
  // (a county's run is at most its applicants and listed students).
  std::string where =
      " FROM identification_result r LEFT JOIN org_node n ON n.id = r.school_id"
      " LEFT JOIN student s ON s.id = r.student_id WHERE r.run_id = ?"
      " AND ((n.path >= ? AND n.path < ?) OR (r.school_id IS NULL AND ? = 1))";
  if (!filter.status.empty()) where += " AND r.status = ?";
  if (filter.level) where += " AND r.level = ?";
  if (filter.no_level) where += " AND r.level IS NULL";
  if (filter.flag == "ANY") {
    where += " AND r.flags <> ''";
  } else if (!filter.flag.empty()) {
    where += " AND instr(';' || r.flags || ';', ';' || ? || ';') > 0";  // codes joined by ';'
  }
  if (!filter.text.empty()) where += " AND (instr(s.name, ?) > 0 OR instr(s.student_no_masked, ?) > 0)";
  auto bind = [&](Statement& st) {
    st.bind_int(1, run_id).bind_text(2, scope.low).bind_text(3, scope.high).bind_int(4, with_unplaced ? 1 : 0);
    int i = 4;  // the parameters bound so far, in the order of `where`
    if (!filter.status.empty()) st.bind_text(++i, filter.status);
    if (filter.level) st.bind_int(++i, *filter.level);
    if (!filter.flag.empty() && filter.flag != "ANY") st.bind_text(++i, filter.flag);
    if (!filter.text.empty()) {
      st.bind_text(++i, filter.text);
      st.bind_text(++i, filter.text);
    }
    return i;
  };
  Page<IdentificationResult> page;
  {
    auto count = db_.prepare("SELECT COUNT(*)" + where);
    if (!count) return tl::unexpected(count.error());
    bind(*count);
    auto total = single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  }
  auto stmt = db_.prepare("SELECT " + std::string(kResultColumns) + where + " ORDER BY r.row_no LIMIT ? OFFSET ?");
  if (!stmt) return tl::unexpected(stmt.error());
  const int bound = bind(*stmt);
  stmt->bind_int(bound + 1, limit).bind_int(bound + 2, offset);
  auto items = collect(*stmt, read_result, static_cast<size_t>(limit));
  if (!items) return tl::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

Result<std::optional<IdentificationResult>> SqliteStore::latest_result(int64_t cycle_id, int64_t school_id,
                                                                       int64_t student_id, int64_t* run_id) {
  auto newest = db_.prepare(
      "SELECT id FROM identification_run WHERE cycle_id = ? AND (school_id = ? OR school_id IS NULL)"
      " ORDER BY id DESC LIMIT 1");
  if (!newest) return tl::unexpected(newest.error());
  newest->bind_int(1, cycle_id).bind_int(2, school_id);
  auto found = repo::first(*newest, [](const Statement& s) -> Result<int64_t> { return s.int_at(0); });
  if (!found) return tl::unexpected(found.error());
  if (!*found) return std::optional<IdentificationResult>();
  if (run_id != nullptr) *run_id = **found;
  static const std::string sql =
      "SELECT " + std::string(kResultColumns) + " FROM identification_result r WHERE r.run_id = ? AND r.student_id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, **found).bind_int(2, student_id);
  return repo::first(*stmt, read_result);
}

}  // namespace zizhu::store::sqlite
