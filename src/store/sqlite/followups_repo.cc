// SqliteStore: follow-up records of funded students (migration 11).
#include <cstdint>
#include <string>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

constexpr std::string_view kFollowupSelect =
    "SELECT f.id, f.cycle_id, f.student_id, f.school_id, f.term, f.kind, f.happened_on, f.note, f.recorded_by,"
    " f.recorded_at_ms, st.name, n.code, n.name, COALESCE(u.display_name, '')"
    " FROM followup_record f JOIN student st ON st.id = f.student_id JOIN org_node n ON n.id = f.school_id"
    " LEFT JOIN app_user u ON u.id = f.recorded_by";

Result<FollowupRecord> read_followup(const Connection& db, const Statement& s) {
  FollowupRecord r;
  r.id = s.int_at(0);
  r.cycle_id = s.int_at(1);
  r.student_id = s.int_at(2);
  r.school_id = s.int_at(3);
  r.term = static_cast<int>(s.int_at(4));
  const std::string kind = s.text_at(5);
  const auto parsed = parse_followup_kind(kind);
  if (!parsed) return tl::unexpected(repo::corrupt(db, "follow-up kind '" + kind + "'"));
  r.kind = *parsed;
  const std::string on = s.text_at(6);
  const auto date = parse_date(on);
  if (!date) return tl::unexpected(repo::corrupt(db, "follow-up date '" + on + "'"));
  r.happened_on = *date;
  r.note = s.text_at(7);
  r.recorded_by = s.int_at(8);
  r.recorded_at_ms = s.int_at(9);
  r.student_name = s.text_at(10);
  r.school_code = s.text_at(11);
  r.school_name = s.text_at(12);
  r.recorded_by_name = s.text_at(13);
  return r;
}

}  // namespace

Result<int64_t> SqliteStore::add_followup(const FollowupRecord& r) {
  auto stmt = db_.prepare(
      "INSERT INTO followup_record (cycle_id, student_id, school_id, term, kind, happened_on, note, recorded_by,"
      " recorded_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, r.cycle_id).bind_int(2, r.student_id).bind_int(3, r.school_id).bind_int(4, r.term);
  stmt->bind_text(5, followup_kind_key(r.kind)).bind_text(6, r.happened_on.iso()).bind_text(7, r.note);
  stmt->bind_int(8, r.recorded_by).bind_int(9, r.recorded_at_ms);
  return repo::single_int(*stmt);
}

Result<Page<FollowupRecord>> SqliteStore::followups_page(int64_t cycle_id, std::string_view path,
                                                         const FollowupFilter& filter, int64_t offset,
                                                         int64_t limit) {
  if (auto ok = repo::check_page(offset, limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  repo::Where where;
  where.add("f.cycle_id = ?", {cycle_id});
  where.add("n.path >= ? AND n.path < ?", {scope.low, scope.high});
  if (filter.school_id) where.add("f.school_id = ?", {*filter.school_id});
  if (filter.student_id) where.add("f.student_id = ?", {*filter.student_id});
  if (filter.term) where.add("f.term = ?", {int64_t{*filter.term}});
  Page<FollowupRecord> page;
  {
    auto count = db_.prepare(
        "SELECT COUNT(*) FROM followup_record f JOIN org_node n ON n.id = f.school_id" + where.sql());
    if (!count) return tl::unexpected(count.error());
    where.bind(*count, codec_);
    auto total = repo::single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  }
  auto stmt = db_.prepare(std::string(kFollowupSelect) + where.sql() +
                          " ORDER BY f.happened_on DESC, f.id DESC LIMIT ? OFFSET ?");
  if (!stmt) return tl::unexpected(stmt.error());
  const int next = where.bind(*stmt, codec_);
  stmt->bind_int(next, limit).bind_int(next + 1, offset);
  auto items = repo::collect(
      *stmt, [this](const Statement& s) { return read_followup(db_, s); }, static_cast<size_t>(limit));
  if (!items) return tl::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

Result<std::vector<int64_t>> SqliteStore::followed_up_students(int64_t cycle_id, int64_t school_id, int term) {
  auto stmt = db_.prepare(
      "SELECT DISTINCT student_id FROM followup_record WHERE cycle_id = ? AND school_id = ? AND term = ?"
      " ORDER BY student_id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, school_id).bind_int(3, term);
  return repo::collect(*stmt, [](const Statement& s) -> Result<int64_t> { return s.int_at(0); });
}

}  // namespace zizhu::store::sqlite
