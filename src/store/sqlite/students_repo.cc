// SqliteStore: students as the lists of the application read them — paged
// within a data scope, by id, and by household.
#include "store/sqlite/repo_util.h"
#include "store/sqlite/sensitive_columns.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/student_rows.h"

namespace zizhu::store::sqlite {

Result<Page<StudentListing>> SqliteStore::students_page(std::string_view path, const StudentFilter& filter,
                                                        int64_t offset, int64_t limit) {
  if (auto ok = repo::check_page(offset, limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  // The join order is written out (CROSS JOIN: SQLite keeps the order given;
  // PostgreSQL plans it as the inner join it is): schools in school-code order
  // from their UNIQUE index, each school's students from (school_id, id). Rows
  // then come out in the paging order, so a page is an index walk and never
  // a sort of the whole subtree.
  constexpr std::string_view from =
      " FROM school sc CROSS JOIN org_node n CROSS JOIN student st";
  repo::Where where;
  where.add("n.id = sc.org_id AND st.school_id = sc.org_id");
  where.add("n.path >= ? AND n.path < ?", {scope.low, scope.high});
  if (filter.school_code) where.add("sc.school_code = ?", {*filter.school_code});
  if (filter.grade) where.add("st.grade = ?", {*filter.grade});
  if (filter.class_name) where.add("st.class_name = ?", {*filter.class_name});
  if (filter.name_prefix && !filter.name_prefix->empty()) {
    // A prefix as a range, like the data scope: no LIKE.
    where.add("st.name >= ? AND st.name < ?", {*filter.name_prefix, prefix_upper_bound(*filter.name_prefix)});
  }
  if (filter.student_no) {
    where.add("st.student_no_index = ?", {repo::Where::BlindIndex{SensitiveKind::kStudentNo, *filter.student_no}});
  }

  Page<StudentListing> page;
  const bool by_school_only = !filter.grade && !filter.class_name &&
                              !(filter.name_prefix && !filter.name_prefix->empty()) && !filter.student_no;
  if (by_school_only) {
    // The whole subtree (or one school): the sum of the schools' counts kept
    // by migration 3's triggers, exact and independent of the row count.
    repo::Where schools;
    schools.add("n.id = sc.org_id");
    schools.add("n.path >= ? AND n.path < ?", {scope.low, scope.high});
    if (filter.school_code) schools.add("sc.school_code = ?", {*filter.school_code});
    auto count = db_.prepare("SELECT COALESCE(SUM(sc.student_count), 0) FROM school sc CROSS JOIN org_node n" +
                             schools.sql());
    if (!count) return tl::unexpected(count.error());
    schools.bind(*count, codec_);
    auto total = repo::single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  } else {
    auto count = db_.prepare("SELECT COUNT(*)" + std::string(from) + where.sql());
    if (!count) return tl::unexpected(count.error());
    where.bind(*count, codec_);
    auto total = repo::single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  }
  // Keyset continuation: after the given (school code, id), counted after
  // the total (which covers the whole filter).
  repo::Where rows = where;
  if (filter.after) {
    // Written so that the first part is a range on the school_code index.
    rows.add("sc.school_code >= ? AND (sc.school_code > ? OR st.id > ?)",
             {filter.after->school_code, filter.after->school_code, filter.after->id});
  }
  auto stmt = db_.prepare("SELECT " + std::string(kStudentListingColumns) + std::string(from) + rows.sql() +
                          " ORDER BY sc.school_code, st.id LIMIT ? OFFSET ?");
  if (!stmt) return tl::unexpected(stmt.error());
  const int next = rows.bind(*stmt, codec_);
  stmt->bind_int(next, limit).bind_int(next + 1, offset);
  auto items = repo::collect(
      *stmt, [this](const Statement& s) { return read_student_listing(db_, codec_, s); }, static_cast<size_t>(limit));
  if (!items) return tl::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

Result<std::optional<Student>> SqliteStore::get_student(int64_t id) {
  static const std::string sql = "SELECT " + std::string(kStudentColumns) + " FROM student st WHERE st.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return repo::first(*stmt, [this](const Statement& s) { return read_student_row(db_, codec_, s); });
}

Result<std::optional<StudentListing>> SqliteStore::get_student_listing(int64_t id) {
  static const std::string sql = "SELECT " + std::string(kStudentListingColumns) + " FROM student st WHERE st.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return repo::first(*stmt, [this](const Statement& s) { return read_student_listing(db_, codec_, s); });
}

Result<std::vector<StudentListing>> SqliteStore::students_of_guardian(int64_t guardian_id) {
  static const std::string sql =
      "SELECT " + std::string(kStudentListingColumns) + " FROM student st WHERE st.guardian_id = ? ORDER BY st.id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, guardian_id);
  // A household has a handful of children; a bound keeps a bad link harmless.
  return repo::collect(*stmt, [this](const Statement& s) { return read_student_listing(db_, codec_, s); }, 100);
}

}  // namespace zizhu::store::sqlite
