// SqliteStore: sessions, the login log and API tokens — how a request proves
// who is behind it.
#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

using repo::first;

// The login log keeps what was typed, within bounds: a name field can carry
// anything an attacker sends.
constexpr size_t kLoginUsernameBytesMax = 64;
constexpr size_t kUserAgentBytesMax = 512;
constexpr size_t kIpBytesMax = 64;
constexpr size_t kReasonBytesMax = 64;
// Old sessions deleted in one call: bounded, so that the login that runs the
// cleanup (auth.cc) stays quick even after a long time without one.
constexpr int64_t kSessionDeleteMax = 10000;

// --- sessions ------------------------------------------------------------------

constexpr std::string_view kSessionSelect =
    "SELECT token_hash, user_id, csrf_token_hash, created_at_ms, last_seen_at_ms, ended_at_ms, ended_reason, ip,"
    " user_agent, second_factor_passed FROM session";

Result<SessionRecord> read_session(const Statement& s) {
  SessionRecord r;
  r.token_hash = s.text_at(0);
  r.user_id = s.int_at(1);
  r.csrf_token_hash = s.text_at(2);
  r.created_at_ms = s.int_at(3);
  r.last_seen_at_ms = s.int_at(4);
  r.ended_at_ms = s.opt_int_at(5);
  r.ended_reason = s.opt_text_at(6);
  r.ip = s.text_at(7);
  r.user_agent = s.text_at(8);
  r.second_factor_passed = s.int_at(9) != 0;
  return r;
}

// --- the login log -----------------------------------------------------------------

Result<LoginEvent> read_login_event(const Statement& s) {
  LoginEvent e;
  e.id = s.int_at(0);
  e.at_ms = s.int_at(1);
  e.username = s.text_at(2);
  e.user_id = s.opt_int_at(3);
  e.ip = s.text_at(4);
  e.user_agent = s.text_at(5);
  e.outcome = s.text_at(6);
  return e;
}

// --- API tokens ----------------------------------------------------------------------

constexpr std::string_view kTokenSelect =
    "SELECT t.id, t.name, t.token_hash, t.org_id, t.scopes, t.created_by, t.created_at_ms, t.expires_at_ms,"
    " t.revoked_at_ms, t.last_used_at_ms FROM api_token t";

Result<ApiToken> read_token(const Statement& s) {
  ApiToken t;
  t.id = s.int_at(0);
  t.name = s.text_at(1);
  t.token_hash = s.text_at(2);
  t.org_id = s.int_at(3);
  t.scopes = s.text_at(4);
  t.created_by = s.opt_int_at(5);
  t.created_at_ms = s.int_at(6);
  t.expires_at_ms = s.opt_int_at(7);
  t.revoked_at_ms = s.opt_int_at(8);
  t.last_used_at_ms = s.opt_int_at(9);
  return t;
}

}  // namespace

// --- sessions --------------------------------------------------------------------

Result<void> SqliteStore::create_session(const SessionRecord& session) {
  if (session.token_hash.empty() || session.csrf_token_hash.empty()) {
    return fail("BAD_VALUE", "会话缺少令牌摘要 (session without token hashes)", {db_.path(), 0, "session"});
  }
  auto stmt = db_.prepare(
      "INSERT INTO session (token_hash, user_id, csrf_token_hash, created_at_ms, last_seen_at_ms, ended_at_ms,"
      " ended_reason, ip, user_agent, second_factor_passed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, session.token_hash)
      .bind_int(2, session.user_id)
      .bind_text(3, session.csrf_token_hash)
      .bind_int(4, session.created_at_ms)
      .bind_int(5, session.last_seen_at_ms);
  repo::bind_opt_int(*stmt, 6, session.ended_at_ms);
  stmt->bind_opt_text(7, session.ended_reason)
      .bind_text(8, repo::cut_utf8(session.ip, kIpBytesMax))
      .bind_text(9, repo::cut_utf8(session.user_agent, kUserAgentBytesMax))
      .bind_int(10, session.second_factor_passed ? 1 : 0);
  return stmt->run();
}

Result<std::optional<SessionRecord>> SqliteStore::find_session(std::string_view token_hash) {
  static const std::string sql = std::string(kSessionSelect) + " WHERE token_hash = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, token_hash);
  return first(*stmt, read_session);
}

Result<void> SqliteStore::touch_session(std::string_view token_hash, int64_t at_ms) {
  // Only forward: two requests of one session may write out of order.
  auto stmt = db_.prepare(
      "UPDATE session SET last_seen_at_ms = ?1 WHERE token_hash = ?2 AND ended_at_ms IS NULL"
      " AND last_seen_at_ms < ?1");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, at_ms).bind_text(2, token_hash);
  return stmt->run();
}

Result<void> SqliteStore::set_session_second_factor(std::string_view token_hash) {
  auto stmt = db_.prepare("UPDATE session SET second_factor_passed = 1 WHERE token_hash = ? AND ended_at_ms IS NULL");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, token_hash);
  if (auto ok = stmt->run(); !ok) return ok;
  if (changes() == 0) return fail("NOT_FOUND", "会话不存在或已结束 (no open session)", {db_.path(), 0, "session"});
  return {};
}

Result<bool> SqliteStore::end_session(std::string_view token_hash, int64_t at_ms, std::string_view reason) {
  auto stmt = db_.prepare(
      "UPDATE session SET ended_at_ms = ?, ended_reason = ? WHERE token_hash = ? AND ended_at_ms IS NULL");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, at_ms).bind_text(2, repo::cut_utf8(reason, kReasonBytesMax)).bind_text(3, token_hash);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return changes() > 0;
}

Result<int64_t> SqliteStore::end_user_sessions(int64_t user_id, int64_t at_ms, std::string_view reason,
                                               std::string_view keep_token_hash) {
  auto stmt = db_.prepare(
      "UPDATE session SET ended_at_ms = ?, ended_reason = ? WHERE user_id = ? AND ended_at_ms IS NULL"
      " AND token_hash <> ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, at_ms)
      .bind_text(2, repo::cut_utf8(reason, kReasonBytesMax))
      .bind_int(3, user_id)
      .bind_text(4, keep_token_hash);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return changes();
}

Result<std::vector<std::string>> SqliteStore::delete_sessions_created_before(int64_t created_before_ms,
                                                                             int64_t limit) {
  if (limit < 1 || limit > kSessionDeleteMax) {
    return fail("BAD_VALUE", "一次删除的会话数须为 1-" + std::to_string(kSessionDeleteMax) +
                                 " (sessions deleted at once out of range): " + std::to_string(limit),
                {db_.path(), 0, "session"});
  }
  // The oldest first along session_created (migration 16), so a call with
  // nothing to delete costs one index probe.
  auto stmt = db_.prepare(
      "DELETE FROM session WHERE token_hash IN (SELECT token_hash FROM session WHERE created_at_ms < ?"
      " ORDER BY created_at_ms LIMIT ?) RETURNING token_hash");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, created_before_ms).bind_int(2, limit);
  return repo::collect(*stmt, [](const Statement& s) -> Result<std::string> { return s.text_at(0); },
                       static_cast<size_t>(limit));
}

// --- the login log -------------------------------------------------------------------

Result<int64_t> SqliteStore::append_login_event(const LoginEvent& event) {
  auto stmt = db_.prepare(
      "INSERT INTO login_event (at_ms, username, user_id, ip, user_agent, outcome) VALUES (?, ?, ?, ?, ?, ?)"
      " RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, event.at_ms).bind_text(2, repo::cut_utf8(event.username, kLoginUsernameBytesMax));
  repo::bind_opt_int(*stmt, 3, event.user_id);
  stmt->bind_text(4, repo::cut_utf8(event.ip, kIpBytesMax))
      .bind_text(5, repo::cut_utf8(event.user_agent, kUserAgentBytesMax))
      .bind_text(6, event.outcome);
  return repo::single_int(*stmt);
}

Result<int64_t> SqliteStore::count_login_failures(int64_t user_id, int64_t since_ms, int64_t after_event_id) {
  auto stmt = db_.prepare(
      "SELECT COUNT(*) FROM login_event WHERE user_id = ? AND at_ms >= ? AND id > ?"
      " AND outcome IN ('bad_password', 'bad_totp')");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, user_id).bind_int(2, since_ms).bind_int(3, after_event_id);
  return repo::single_int(*stmt);
}

Result<Page<LoginEvent>> SqliteStore::login_events_page(std::string_view path, const LoginEventFilter& filter,
                                                        int64_t offset, int64_t limit) {
  if (auto ok = repo::check_page(offset, limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  std::string from = " FROM login_event e";
  repo::Where where;
  if (!scope.everything()) {
    // An event belongs to the scope of its user's org node; an unknown name
    // belongs to no subtree, so only the root sees it.
    from += " JOIN app_user u ON u.id = e.user_id JOIN org_node n ON n.id = u.org_id";
    where.add("n.path >= ? AND n.path < ?", {scope.low, scope.high});
  }
  // Known users are logged by their (lower-case) name, unknown names as typed.
  if (filter.username) where.add("e.username IN (?, ?)", {*filter.username, repo::ascii_lowered(*filter.username)});
  if (filter.user_id) where.add("e.user_id = ?", {*filter.user_id});
  if (filter.outcome) where.add("e.outcome = ?", {*filter.outcome});
  if (filter.from_ms) where.add("e.at_ms >= ?", {*filter.from_ms});
  if (filter.to_ms) where.add("e.at_ms < ?", {*filter.to_ms});

  Page<LoginEvent> page;
  {
    auto count = db_.prepare("SELECT COUNT(*)" + from + where.sql());
    if (!count) return tl::unexpected(count.error());
    where.bind(*count, codec_);
    auto total = repo::single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  }
  auto stmt = db_.prepare("SELECT e.id, e.at_ms, e.username, e.user_id, e.ip, e.user_agent, e.outcome" + from +
                          where.sql() + " ORDER BY e.id DESC LIMIT ? OFFSET ?");
  if (!stmt) return tl::unexpected(stmt.error());
  const int next = where.bind(*stmt, codec_);
  stmt->bind_int(next, limit).bind_int(next + 1, offset);
  auto items = repo::collect(*stmt, read_login_event, static_cast<size_t>(limit));
  if (!items) return tl::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

// --- API tokens ----------------------------------------------------------------------

Result<int64_t> SqliteStore::create_api_token(const ApiTokenInput& token) {
  if (token.token_hash.empty() || token.name.empty()) {
    return fail("BAD_VALUE", "接口令牌缺少名称或摘要 (API token without a name or hash)", {db_.path(), 0, "api_token"});
  }
  auto stmt = db_.prepare(
      "INSERT INTO api_token (name, token_hash, org_id, scopes, created_by, created_at_ms, expires_at_ms)"
      " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, token.name).bind_text(2, token.token_hash).bind_int(3, token.org_id).bind_text(4, token.scopes);
  repo::bind_opt_int(*stmt, 5, token.created_by);
  stmt->bind_int(6, token.created_at_ms);
  repo::bind_opt_int(*stmt, 7, token.expires_at_ms);
  return repo::single_int(*stmt);
}

Result<std::optional<ApiToken>> SqliteStore::find_api_token(std::string_view token_hash) {
  static const std::string sql = std::string(kTokenSelect) + " WHERE t.token_hash = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, token_hash);
  return first(*stmt, read_token);
}

Result<std::optional<ApiToken>> SqliteStore::get_api_token(int64_t id) {
  static const std::string sql = std::string(kTokenSelect) + " WHERE t.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return first(*stmt, read_token);
}

Result<std::vector<ApiToken>> SqliteStore::list_api_tokens(std::string_view path) {
  static const std::string sql = std::string(kTokenSelect) +
                                 " JOIN org_node n ON n.id = t.org_id WHERE n.path >= ? AND n.path < ? ORDER BY t.id";
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high);
  return repo::collect(*stmt, read_token);
}

Result<bool> SqliteStore::revoke_api_token(int64_t id, int64_t at_ms) {
  auto stmt = db_.prepare("UPDATE api_token SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, at_ms).bind_int(2, id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return changes() > 0;
}

Result<void> SqliteStore::touch_api_token(int64_t id, int64_t at_ms) {
  auto stmt = db_.prepare(
      "UPDATE api_token SET last_used_at_ms = ?1 WHERE id = ?2"
      " AND (last_used_at_ms IS NULL OR last_used_at_ms < ?1)");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, at_ms).bind_int(2, id);
  return stmt->run();
}

}  // namespace zizhu::store::sqlite
