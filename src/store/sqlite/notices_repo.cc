// SqliteStore: policy notices (migration 9).
#include <string>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

constexpr std::string_view kNoticeSelect =
    "SELECT t.id, t.county_id, n.code, n.name, n.path, t.title, t.body, t.published_by, t.published_at_ms,"
    " t.withdrawn_at_ms FROM notice t JOIN org_node n ON n.id = t.county_id";

Result<Notice> read_notice(const Statement& s) {
  Notice t;
  t.id = s.int_at(0);
  t.county_id = s.int_at(1);
  t.county_code = s.text_at(2);
  t.county_name = s.text_at(3);
  t.county_path = s.text_at(4);
  t.title = s.text_at(5);
  t.body = s.text_at(6);
  t.published_by = s.opt_int_at(7);
  t.published_at_ms = s.int_at(8);
  t.withdrawn_at_ms = s.opt_int_at(9);
  return t;
}

}  // namespace

Result<int64_t> SqliteStore::add_notice(const Notice& t) {
  auto stmt = db_.prepare(
      "INSERT INTO notice (county_id, title, body, published_by, published_at_ms) VALUES (?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, t.county_id).bind_text(2, t.title).bind_text(3, t.body);
  repo::bind_opt_int(*stmt, 4, t.published_by);
  stmt->bind_int(5, t.published_at_ms);
  return repo::single_int(*stmt);
}

Result<std::optional<Notice>> SqliteStore::get_notice(int64_t id) {
  static const std::string sql = std::string(kNoticeSelect) + " WHERE t.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return repo::first(*stmt, read_notice);
}

Result<std::vector<Notice>> SqliteStore::notices_for(std::string_view path, bool with_withdrawn, int64_t limit) {
  // As cycles_for: the county under the scope, or the scope under the county.
  static const std::string sql = std::string(kNoticeSelect) +
                                 " WHERE ((n.path >= ?1 AND n.path < ?2) OR substr(?3, 1, length(n.path)) = n.path)"
                                 " AND (?4 = 1 OR t.withdrawn_at_ms IS NULL) ORDER BY t.published_at_ms DESC, t.id DESC"
                                 " LIMIT ?5";
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high).bind_text(3, scope.low);
  stmt->bind_int(4, with_withdrawn ? 1 : 0).bind_int(5, limit);
  return repo::collect(*stmt, read_notice);
}

Result<void> SqliteStore::withdraw_notice(int64_t id, int64_t now_ms) {
  auto stmt = db_.prepare("UPDATE notice SET withdrawn_at_ms = ? WHERE id = ? AND withdrawn_at_ms IS NULL");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, now_ms).bind_int(2, id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return require_changed("notice", id);
}

}  // namespace zizhu::store::sqlite
