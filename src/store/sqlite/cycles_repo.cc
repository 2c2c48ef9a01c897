// SqliteStore: the aid cycle — cycles, policy versions, budgets, the
// departments' lists and applications (migration 5).
#include <cstdint>
#include <string>

#include "core/code_list.h"
#include "store/sqlite/repo_util.h"
#include "store/sqlite/sensitive_columns.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

using repo::collect;
using repo::corrupt;
using repo::first;
using repo::single_int;

namespace {

constexpr std::string_view kCycleSelect =
    "SELECT c.id, c.county_id, n.code, n.name, n.path, c.school_year, c.name, c.state, c.policy_version,"
    " c.applications_open_on, c.applications_close_on, c.created_at_ms, c.updated_at_ms"
    " FROM cycle c JOIN org_node n ON n.id = c.county_id";

Result<std::optional<Date>> opt_date_at(const Connection& db, const Statement& stmt, int column) {
  auto text = stmt.opt_text_at(column);
  if (!text) return std::optional<Date>();
  auto date = parse_date(*text);
  if (!date) return tl::unexpected(corrupt(db, "bad date '" + *text + "'"));
  return std::optional<Date>(*date);
}

Result<Cycle> read_cycle(const Connection& db, const Statement& s) {
  Cycle c;
  c.id = s.int_at(0);
  c.county_id = s.int_at(1);
  c.county_code = s.text_at(2);
  c.county_name = s.text_at(3);
  c.county_path = s.text_at(4);
  c.school_year = s.text_at(5);
  c.name = s.text_at(6);
  auto state = parse_cycle_state(s.text_at(7));
  if (!state) return tl::unexpected(corrupt(db, "cycle.state = '" + s.text_at(7) + "'"));
  c.state = *state;
  if (auto v = s.opt_int_at(8)) c.policy_version = static_cast<int>(*v);
  auto open_on = opt_date_at(db, s, 9);
  if (!open_on) return tl::unexpected(open_on.error());
  c.applications_open_on = *open_on;
  auto close_on = opt_date_at(db, s, 10);
  if (!close_on) return tl::unexpected(close_on.error());
  c.applications_close_on = *close_on;
  c.created_at_ms = s.int_at(11);
  c.updated_at_ms = s.int_at(12);
  return c;
}

void bind_opt_date(Statement& stmt, int param, const std::optional<Date>& date) {
  if (date) {
    stmt.bind_text(param, date->iso());
  } else {
    stmt.bind_null(param);
  }
}

void bind_opt_bool(Statement& stmt, int param, const std::optional<bool>& value) {
  if (value) {
    stmt.bind_int(param, *value ? 1 : 0);
  } else {
    stmt.bind_null(param);
  }
}

std::optional<bool> opt_bool_at(const Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return s.int_at(column) != 0;
}

constexpr std::string_view kApplicationSelect =
    "SELECT a.id, a.cycle_id, a.student_id, a.school_id, a.state, a.channel, a.household_size,"
    " a.household_income_fen, a.claimed_categories, a.serious_illness, a.sudden_hardship, a.single_parent,"
    " a.siblings_in_school, a.submitted_by, a.created_at_ms, a.updated_at_ms FROM application a";

Result<Application> read_application(const Connection& db, const Statement& s) {
  Application a;
  a.id = s.int_at(0);
  a.cycle_id = s.int_at(1);
  a.student_id = s.int_at(2);
  a.school_id = s.int_at(3);
  const std::string state = s.text_at(4);
  if (state == "SUBMITTED") {
    a.state = ApplicationState::kSubmitted;
  } else if (state == "WITHDRAWN") {
    a.state = ApplicationState::kWithdrawn;
  } else {
    return tl::unexpected(corrupt(db, "application.state = '" + state + "'"));
  }
  a.channel = s.text_at(5);
  a.family.household_size = static_cast<int>(s.int_at(6));
  a.family.household_income = Fen::from_fen(s.int_at(7));
  a.family.claimed_categories = split_codes(s.text_at(8));
  a.family.serious_illness = opt_bool_at(s, 9);
  a.family.sudden_hardship = opt_bool_at(s, 10);
  a.family.single_parent = opt_bool_at(s, 11);
  if (auto n = s.opt_int_at(12)) a.family.siblings_in_school = static_cast<int>(*n);
  a.submitted_by = s.int_at(13);
  a.created_at_ms = s.int_at(14);
  a.updated_at_ms = s.int_at(15);
  return a;
}

void bind_family(Statement& stmt, int first_param, const FamilyData& f) {
  stmt.bind_int(first_param, f.household_size);
  stmt.bind_int(first_param + 1, f.household_income.value());
  stmt.bind_text(first_param + 2, join_codes(f.claimed_categories));
  bind_opt_bool(stmt, first_param + 3, f.serious_illness);
  bind_opt_bool(stmt, first_param + 4, f.sudden_hardship);
  bind_opt_bool(stmt, first_param + 5, f.single_parent);
  if (f.siblings_in_school) {
    stmt.bind_int(first_param + 6, *f.siblings_in_school);
  } else {
    stmt.bind_null(first_param + 6);
  }
}

}  // namespace

// --- cycles -------------------------------------------------------------------

Result<int64_t> SqliteStore::create_cycle(const CycleInput& cycle) {
  return atomically<int64_t>([&]() -> Result<int64_t> {
    auto taken = db_.prepare("SELECT COUNT(*) FROM cycle WHERE county_id = ? AND school_year = ?");
    if (!taken) return tl::unexpected(taken.error());
    taken->bind_int(1, cycle.county_id).bind_text(2, cycle.school_year);
    auto n = single_int(*taken);
    if (!n) return tl::unexpected(n.error());
    if (*n > 0) {
      return fail("CONFLICT", "该区县本学年的资助周期已存在 (cycle exists): " + cycle.school_year,
                  {db_.path(), 0, "school_year"});
    }
    auto stmt = db_.prepare(
        "INSERT INTO cycle (county_id, school_year, name, state, created_at_ms, updated_at_ms)"
        " VALUES (?, ?, ?, 'DRAFT', ?, ?) RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, cycle.county_id)
        .bind_text(2, cycle.school_year)
        .bind_text(3, cycle.name)
        .bind_int(4, cycle.now_ms)
        .bind_int(5, cycle.now_ms);
    return single_int(*stmt);
  });
}

Result<std::optional<Cycle>> SqliteStore::get_cycle(int64_t id) {
  static const std::string sql = std::string(kCycleSelect) + " WHERE c.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return first(*stmt, [this](const Statement& s) { return read_cycle(db_, s); });
}

Result<std::vector<Cycle>> SqliteStore::cycles_for(std::string_view path) {
  // A county's path is a prefix of its schools' paths: the county is in
  // scope when it lies under `path` (a province officer) or `path` lies under
  // it (a school). Counties are few; the filter runs on them.
  static const std::string sql = std::string(kCycleSelect) +
                                 " WHERE (n.path >= ?1 AND n.path < ?2) OR substr(?3, 1, length(n.path)) = n.path"
                                 " ORDER BY c.school_year DESC, n.code";
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high).bind_text(3, scope.low);
  return collect(*stmt, [this](const Statement& s) { return read_cycle(db_, s); });
}

Result<void> SqliteStore::set_cycle_state(int64_t id, CycleState from, CycleState to, int64_t now_ms) {
  auto stmt = db_.prepare("UPDATE cycle SET state = ?, updated_at_ms = ? WHERE id = ? AND state = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, cycle_state_key(to)).bind_int(2, now_ms).bind_int(3, id).bind_text(4, cycle_state_key(from));
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return require_changed("cycle", id);
}

Result<void> SqliteStore::set_cycle_dates(int64_t id, std::optional<Date> open_on, std::optional<Date> close_on,
                                          int64_t now_ms) {
  auto stmt = db_.prepare(
      "UPDATE cycle SET applications_open_on = ?, applications_close_on = ?, updated_at_ms = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  bind_opt_date(*stmt, 1, open_on);
  bind_opt_date(*stmt, 2, close_on);
  stmt->bind_int(3, now_ms).bind_int(4, id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return require_changed("cycle", id);
}

Result<int> SqliteStore::add_policy_version(const PolicyVersion& policy) {
  return atomically<int>([&]() -> Result<int> {
    auto next = db_.prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM cycle_policy WHERE cycle_id = ?");
    if (!next) return tl::unexpected(next.error());
    next->bind_int(1, policy.cycle_id);
    auto version = single_int(*next);
    if (!version) return tl::unexpected(version.error());
    auto insert = db_.prepare(
        "INSERT INTO cycle_policy (cycle_id, version, toml, sm3, created_by, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)");
    if (!insert) return tl::unexpected(insert.error());
    insert->bind_int(1, policy.cycle_id).bind_int(2, *version).bind_text(3, policy.toml).bind_text(4, policy.sm3);
    repo::bind_opt_int(*insert, 5, policy.created_by);
    insert->bind_int(6, policy.created_at_ms);
    if (auto ok = insert->run(); !ok) return tl::unexpected(ok.error());
    auto point = db_.prepare("UPDATE cycle SET policy_version = ?, updated_at_ms = ? WHERE id = ?");
    if (!point) return tl::unexpected(point.error());
    point->bind_int(1, *version).bind_int(2, policy.created_at_ms).bind_int(3, policy.cycle_id);
    if (auto ok = point->run(); !ok) return tl::unexpected(ok.error());
    if (auto ok = require_changed("cycle", policy.cycle_id); !ok) return tl::unexpected(ok.error());
    return static_cast<int>(*version);
  });
}

Result<std::vector<PolicyVersion>> SqliteStore::policy_versions(int64_t cycle_id) {
  auto stmt = db_.prepare(
      "SELECT cycle_id, version, toml, sm3, created_by, created_at_ms FROM cycle_policy WHERE cycle_id = ?"
      " ORDER BY version");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  return collect(*stmt, [](const Statement& s) -> Result<PolicyVersion> {
    PolicyVersion p;
    p.cycle_id = s.int_at(0);
    p.version = static_cast<int>(s.int_at(1));
    p.toml = s.text_at(2);
    p.sm3 = s.text_at(3);
    p.created_by = s.opt_int_at(4);
    p.created_at_ms = s.int_at(5);
    return p;
  });
}

Result<void> SqliteStore::set_budgets(int64_t cycle_id, const std::vector<SchoolBudget>& budgets) {
  return atomically<void>([&]() -> Result<void> {
    for (const auto& b : budgets) {
      auto stmt = db_.prepare(
          "INSERT INTO cycle_budget (cycle_id, school_id, budget_fen) VALUES (?, ?, ?)"
          " ON CONFLICT (cycle_id, school_id) DO UPDATE SET budget_fen = excluded.budget_fen");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, cycle_id).bind_int(2, b.school_id).bind_int(3, b.budget.value());
      if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
    }
    return {};
  });
}

Result<std::vector<SchoolBudget>> SqliteStore::budgets(int64_t cycle_id) {
  auto stmt = db_.prepare(
      "SELECT b.school_id, sc.school_code, sc.name, b.budget_fen FROM cycle_budget b"
      " JOIN school sc ON sc.org_id = b.school_id WHERE b.cycle_id = ? ORDER BY sc.school_code");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  return collect(*stmt, [](const Statement& s) -> Result<SchoolBudget> {
    return SchoolBudget{s.int_at(0), s.text_at(1), s.text_at(2), Fen::from_fen(s.int_at(3))};
  });
}

// --- the departments' lists ---------------------------------------------------

Result<int64_t> SqliteStore::add_dept_list(const DeptListImportInput& import,
                                           const std::vector<DeptListEntryInput>& entries) {
  return atomically<int64_t>([&]() -> Result<int64_t> {
    auto head = db_.prepare(
        "INSERT INTO dept_list_import (cycle_id, source, file_sm3, accepted, rejected, imported_by, imported_at_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!head) return tl::unexpected(head.error());
    head->bind_int(1, import.cycle_id)
        .bind_text(2, import.source)
        .bind_text(3, import.file_sm3)
        .bind_int(4, static_cast<int64_t>(entries.size()))
        .bind_int(5, import.rejected);
    repo::bind_opt_int(*head, 6, import.imported_by);
    head->bind_int(7, import.imported_at_ms);
    auto id = single_int(*head);
    if (!id) return tl::unexpected(id.error());
    for (const auto& e : entries) {
      auto stmt = db_.prepare(
          "INSERT INTO dept_list_entry (cycle_id, import_id, row_number, id_number, id_number_index, name, category,"
          " valid_from, valid_to, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, import.cycle_id).bind_int(2, *id).bind_int(3, e.row_number);
      bind_sensitive(*stmt, 4, 5, codec_, SensitiveKind::kResidentId, std::optional<SensitiveText>(e.id_number));
      stmt->bind_text(6, e.name).bind_text(7, e.category);
      bind_opt_date(*stmt, 8, e.valid_from);
      bind_opt_date(*stmt, 9, e.valid_to);
      stmt->bind_text(10, e.source);
      if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
    }
    return *id;
  });
}

Result<std::vector<DeptListImport>> SqliteStore::dept_list_imports(int64_t cycle_id) {
  auto stmt = db_.prepare(
      "SELECT id, cycle_id, source, file_sm3, accepted, rejected, imported_by, imported_at_ms FROM dept_list_import"
      " WHERE cycle_id = ? ORDER BY id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  return collect(*stmt, [](const Statement& s) -> Result<DeptListImport> {
    DeptListImport d;
    d.id = s.int_at(0);
    d.cycle_id = s.int_at(1);
    d.source = s.text_at(2);
    d.file_sm3 = s.text_at(3);
    d.accepted = s.int_at(4);
    d.rejected = s.int_at(5);
    d.imported_by = s.opt_int_at(6);
    d.imported_at_ms = s.int_at(7);
    return d;
  });
}

Result<DeptListEntryInput> SqliteStore::read_list_entry(const Statement& s) const {
  DeptListEntryInput e;
  e.row_number = static_cast<long>(s.int_at(0));
  auto id = read_sensitive(s, 1, codec_, SensitiveKind::kResidentId);
  if (!id) return tl::unexpected(id.error());
  if (!*id) return tl::unexpected(corrupt(db_, "dept_list_entry.id_number is NULL"));
  e.id_number = std::move(**id);
  e.name = s.text_at(2);
  e.category = s.text_at(3);
  auto from = opt_date_at(db_, s, 4);
  if (!from) return tl::unexpected(from.error());
  e.valid_from = *from;
  auto to = opt_date_at(db_, s, 5);
  if (!to) return tl::unexpected(to.error());
  e.valid_to = *to;
  e.source = s.text_at(6);
  return e;
}

Result<std::vector<DeptListEntryInput>> SqliteStore::dept_list_entries_for(int64_t cycle_id,
                                                                           const SensitiveText& id_number) {
  auto stmt = db_.prepare(
      "SELECT row_number, id_number, name, category, valid_from, valid_to, source FROM dept_list_entry"
      " WHERE cycle_id = ? AND id_number_index = ? ORDER BY id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  bind_blind_index(*stmt, 2, codec_, SensitiveKind::kResidentId, id_number);
  return collect(*stmt, [this](const Statement& s) { return read_list_entry(s); });
}

Result<std::vector<DeptListEntryInput>> SqliteStore::dept_list_entries(int64_t cycle_id) {
  auto stmt = db_.prepare(
      "SELECT row_number, id_number, name, category, valid_from, valid_to, source FROM dept_list_entry"
      " WHERE cycle_id = ? ORDER BY id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  // A province's lists run to millions of entries: no row cap here.
  return collect(*stmt, [this](const Statement& s) { return read_list_entry(s); }, SIZE_MAX);
}

// --- applications -------------------------------------------------------------

Result<int64_t> SqliteStore::create_application(const ApplicationInput& a) {
  return atomically<int64_t>([&]() -> Result<int64_t> {
    auto existing = find_application(a.cycle_id, a.student_id);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      return fail("CONFLICT", "该学生本周期已有申请 (application exists)", {db_.path(), 0, "student_id"});
    }
    auto stmt = db_.prepare(
        "INSERT INTO application (cycle_id, student_id, school_id, state, channel, household_size,"
        " household_income_fen, claimed_categories, serious_illness, sudden_hardship, single_parent,"
        " siblings_in_school, submitted_by, created_at_ms, updated_at_ms)"
        " VALUES (?1, ?2, ?3, 'SUBMITTED', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, a.cycle_id).bind_int(2, a.student_id).bind_int(3, a.school_id).bind_text(4, a.channel);
    bind_family(*stmt, 5, a.family);
    stmt->bind_int(12, a.submitted_by).bind_int(13, a.now_ms);
    return single_int(*stmt);
  });
}

Result<std::optional<Application>> SqliteStore::get_application(int64_t id) {
  static const std::string sql = std::string(kApplicationSelect) + " WHERE a.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return first(*stmt, [this](const Statement& s) { return read_application(db_, s); });
}

Result<std::optional<Application>> SqliteStore::find_application(int64_t cycle_id, int64_t student_id) {
  static const std::string sql = std::string(kApplicationSelect) + " WHERE a.cycle_id = ? AND a.student_id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, student_id);
  return first(*stmt, [this](const Statement& s) { return read_application(db_, s); });
}

Result<void> SqliteStore::update_application(int64_t id, const FamilyData& family, ApplicationState state,
                                             int64_t submitted_by, int64_t now_ms) {
  auto stmt = db_.prepare(
      "UPDATE application SET household_size = ?1, household_income_fen = ?2, claimed_categories = ?3,"
      " serious_illness = ?4, sudden_hardship = ?5, single_parent = ?6, siblings_in_school = ?7, state = ?8,"
      " submitted_by = ?9, updated_at_ms = ?10 WHERE id = ?11");
  if (!stmt) return tl::unexpected(stmt.error());
  bind_family(*stmt, 1, family);
  stmt->bind_text(8, application_state_key(state)).bind_int(9, submitted_by).bind_int(10, now_ms).bind_int(11, id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return require_changed("application", id);
}

Result<std::vector<Application>> SqliteStore::submitted_applications(int64_t cycle_id, std::string_view path) {
  static const std::string sql = std::string(kApplicationSelect) +
                                 " CROSS JOIN org_node n WHERE a.cycle_id = ? AND a.state = 'SUBMITTED'"
                                 " AND n.id = a.school_id AND n.path >= ? AND n.path < ? ORDER BY a.school_id, a.id";
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_text(2, scope.low).bind_text(3, scope.high);
  return collect(*stmt, [this](const Statement& s) { return read_application(db_, s); }, SIZE_MAX);
}

Result<Page<Application>> SqliteStore::applications_page(int64_t cycle_id, std::string_view path,
                                                         const ApplicationFilter& filter, int64_t offset,
                                                         int64_t limit) {
  if (auto ok = repo::check_page(offset, limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  repo::Where where;
  where.add("a.cycle_id = ?", {cycle_id});
  where.add("n.id = a.school_id");
  where.add("n.path >= ? AND n.path < ?", {scope.low, scope.high});
  if (filter.school_id) where.add("a.school_id = ?", {*filter.school_id});
  if (filter.state) where.add("a.state = ?", {std::string(application_state_key(*filter.state))});
  // The plan: the cycle's applications in (school, id) order from
  // application_school (cycle_id, school_id, id) — the paging order, so no
  // sort — each checked against its school's path, its student (by primary
  // key) and its decision (by review_decision's primary key). A search thus
  // reads at most the applications in scope (a county's tens of thousands),
  // never the province's students. The CROSS JOINs keep that order in
  // SQLite; PostgreSQL plans them as the inner joins they are.
  const bool by_student = (filter.name_part && !filter.name_part->empty()) ||
                          (filter.class_part && !filter.class_part->empty());
  std::string from = " CROSS JOIN org_node n";
  if (by_student) {
    from += " CROSS JOIN student st";
    where.add("st.id = a.student_id");
    // instr, not LIKE: the text is matched as given, with no wildcards to
    // escape (PostgreSQL: strpos). Names are not sealed (docs/crypto.md).
    if (filter.name_part && !filter.name_part->empty()) where.add("instr(st.name, ?) > 0", {*filter.name_part});
    if (filter.class_part && !filter.class_part->empty()) {
      where.add("instr(st.class_name, ?) > 0", {*filter.class_part});
    }
  }
  if (filter.student_no) {
    // The sealed 学籍号 through its blind index (UNIQUE): one student, whose
    // application is then found by UNIQUE (cycle_id, student_id). A scalar
    // `=`, not IN: with IN, SQLite walks the cycle's applications instead.
    where.add("a.student_id = (SELECT sn.id FROM student sn WHERE sn.student_no_index = ?)",
              {repo::Where::BlindIndex{SensitiveKind::kStudentNo, *filter.student_no}});
  }
  if (filter.decision) {
    constexpr std::string_view decided =
        "EXISTS (SELECT 1 FROM review_decision d WHERE d.cycle_id = a.cycle_id AND d.student_id = a.student_id";
    switch (*filter.decision) {
      case ApplicationDecision::kUndecided:
        where.add("NOT " + std::string(decided) + ")");
        break;
      case ApplicationDecision::kFunded:
        where.add(std::string(decided) + " AND d.level IS NOT NULL)");
        break;
      case ApplicationDecision::kNotFunded:
        where.add(std::string(decided) + " AND d.level IS NULL)");
        break;
    }
  }
  Page<Application> page;
  {
    auto count = db_.prepare("SELECT COUNT(*) FROM application a" + from + where.sql());
    if (!count) return tl::unexpected(count.error());
    where.bind(*count, codec_);
    auto total = single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  }
  auto stmt = db_.prepare(std::string(kApplicationSelect) + from + where.sql() +
                          " ORDER BY a.school_id, a.id LIMIT ? OFFSET ?");
  if (!stmt) return tl::unexpected(stmt.error());
  const int next = where.bind(*stmt, codec_);
  stmt->bind_int(next, limit).bind_int(next + 1, offset);
  auto items = collect(
      *stmt, [this](const Statement& s) { return read_application(db_, s); }, static_cast<size_t>(limit));
  if (!items) return tl::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

}  // namespace zizhu::store::sqlite
