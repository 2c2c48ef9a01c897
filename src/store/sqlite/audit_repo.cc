// SqliteStore: the audit log and its head, stored as oversight/audit_chain
// computes them. Nothing here updates or deletes a record (the triggers of
// migration 2 would refuse it anyway).
#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

using repo::first;

// In the table's column order.
constexpr std::string_view kAuditColumns =
    "seq, at_ms, user_id, username, roles, org_id, org_path, ip, user_agent, action, object_type, object_id,"
    " outcome, summary, key_id, prev_mac, mac";

Result<AuditRecord> read_audit(const Statement& s) {
  AuditRecord r;
  r.seq = s.int_at(0);
  r.at_ms = s.int_at(1);
  r.user_id = s.opt_int_at(2);
  r.username = s.text_at(3);
  r.roles = s.text_at(4);
  r.org_id = s.opt_int_at(5);
  r.org_path = s.text_at(6);
  r.ip = s.text_at(7);
  r.user_agent = s.text_at(8);
  r.action = s.text_at(9);
  r.object_type = s.text_at(10);
  r.object_id = s.text_at(11);
  r.outcome = s.text_at(12);
  r.summary = s.text_at(13);
  r.key_id = s.text_at(14);
  r.prev_mac = s.text_at(15);
  r.mac = s.text_at(16);
  return r;
}

}  // namespace

Result<void> SqliteStore::append_audit(const AuditRecord& r) {
  static const std::string sql = "INSERT INTO audit_log (" + std::string(kAuditColumns) +
                                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, r.seq).bind_int(2, r.at_ms);
  repo::bind_opt_int(*stmt, 3, r.user_id);
  stmt->bind_text(4, r.username).bind_text(5, r.roles);
  repo::bind_opt_int(*stmt, 6, r.org_id);
  stmt->bind_text(7, r.org_path)
      .bind_text(8, r.ip)
      .bind_text(9, r.user_agent)
      .bind_text(10, r.action)
      .bind_text(11, r.object_type)
      .bind_text(12, r.object_id)
      .bind_text(13, r.outcome)
      .bind_text(14, r.summary)
      .bind_text(15, r.key_id)
      .bind_text(16, r.prev_mac)
      .bind_text(17, r.mac);
  return stmt->run();
}

Result<std::optional<AuditRecord>> SqliteStore::last_audit() {
  static const std::string sql = "SELECT " + std::string(kAuditColumns) + " FROM audit_log ORDER BY seq DESC LIMIT 1";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  return first(*stmt, read_audit);
}

Result<std::optional<AuditHead>> SqliteStore::audit_head() {
  // SQLite: the caller's write transaction (BEGIN IMMEDIATE) holds the
  // database's one write lock, so no other append can read this row now.
  auto stmt = db_.prepare("SELECT seq, mac, key_id, head_mac FROM audit_head WHERE id = 1");
  if (!stmt) return tl::unexpected(stmt.error());
  return first(*stmt, [](const Statement& s) -> Result<AuditHead> {
    return AuditHead{s.int_at(0), s.text_at(1), s.text_at(2), s.text_at(3)};
  });
}

Result<void> SqliteStore::set_audit_head(const AuditHead& head) {
  auto stmt = db_.prepare(
      "INSERT INTO audit_head (id, seq, mac, key_id, head_mac) VALUES (1, ?, ?, ?, ?)"
      " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac, key_id = excluded.key_id,"
      " head_mac = excluded.head_mac");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, head.seq).bind_text(2, head.mac).bind_text(3, head.key_id).bind_text(4, head.head_mac);
  return stmt->run();
}

Result<std::vector<AuditRecord>> SqliteStore::audit_range(int64_t after_seq, int64_t limit) {
  if (auto ok = repo::check_page(0, limit); !ok) return tl::unexpected(ok.error());
  static const std::string sql =
      "SELECT " + std::string(kAuditColumns) + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, after_seq).bind_int(2, limit);
  return repo::collect(*stmt, read_audit, static_cast<size_t>(limit));
}

Result<std::optional<int64_t>> SqliteStore::audit_seq_with_mac(std::string_view mac) {
  auto stmt = db_.prepare("SELECT seq FROM audit_log WHERE mac = ? ORDER BY seq LIMIT 1");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, mac);
  return first(*stmt, [](const Statement& s) -> Result<int64_t> { return s.int_at(0); });
}

Result<Page<AuditRecord>> SqliteStore::audit_page(std::string_view path, const AuditFilter& filter, int64_t offset,
                                                  int64_t limit) {
  if (auto ok = repo::check_page(offset, limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  repo::Where where;
  if (!scope.everything()) where.add("org_path >= ? AND org_path < ?", {scope.low, scope.high});
  if (filter.from_ms) where.add("at_ms >= ?", {*filter.from_ms});
  if (filter.to_ms) where.add("at_ms < ?", {*filter.to_ms});
  if (filter.user_id) where.add("user_id = ?", {*filter.user_id});
  if (filter.username) where.add("username = ?", {*filter.username});
  if (filter.action) where.add("action = ?", {*filter.action});
  if (filter.object_type) where.add("object_type = ?", {*filter.object_type});
  if (filter.object_id) where.add("object_id = ?", {*filter.object_id});
  if (filter.outcome) where.add("outcome = ?", {*filter.outcome});

  Page<AuditRecord> page;
  {
    auto count = db_.prepare("SELECT COUNT(*) FROM audit_log" + where.sql());
    if (!count) return tl::unexpected(count.error());
    where.bind(*count, codec_);
    auto total = repo::single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  }
  auto stmt = db_.prepare("SELECT " + std::string(kAuditColumns) + " FROM audit_log" + where.sql() +
                          " ORDER BY seq DESC LIMIT ? OFFSET ?");
  if (!stmt) return tl::unexpected(stmt.error());
  const int next = where.bind(*stmt, codec_);
  stmt->bind_int(next, limit).bind_int(next + 1, offset);
  auto items = repo::collect(*stmt, read_audit, static_cast<size_t>(limit));
  if (!items) return tl::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

}  // namespace zizhu::store::sqlite
