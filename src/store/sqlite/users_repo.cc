// SqliteStore: users, their roles and their recovery codes.
#include <algorithm>
#include <array>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

using repo::first;

constexpr size_t kUsernameBytesMax = 64;
constexpr size_t kRecoveryCodesMax = 100;

// aid-cycle.md's order, which is also how the roles are listed back.
constexpr std::array<std::string_view, 7> kRoleKeys = {
    "sysadmin", "auditor", "county_officer", "finance", "school_officer", "reviewer", "guardian"};

constexpr std::string_view kRoleOrder =
    "CASE role WHEN 'sysadmin' THEN 1 WHEN 'auditor' THEN 2 WHEN 'county_officer' THEN 3 WHEN 'finance' THEN 4"
    " WHEN 'school_officer' THEN 5 WHEN 'reviewer' THEN 6 ELSE 7 END";

constexpr std::string_view kUserSelect =
    "SELECT u.id, u.username, u.display_name, u.org_id, n.path, u.password_hash, u.must_change_password,"
    " u.disabled, u.totp_secret, u.totp_enabled, u.totp_last_step, u.guardian_id, u.created_at_ms,"
    " u.password_changed_at_ms, u.locked_until_ms, u.failures_after_event_id"
    " FROM app_user u JOIN org_node n ON n.id = u.org_id";

Result<User> read_user(const Statement& s) {
  User u;
  u.id = s.int_at(0);
  u.username = s.text_at(1);
  u.display_name = s.text_at(2);
  u.org_id = s.int_at(3);
  u.org_path = s.text_at(4);
  u.password_hash = s.text_at(5);
  u.must_change_password = s.int_at(6) != 0;
  u.disabled = s.int_at(7) != 0;
  u.totp_secret = s.opt_text_at(8);
  u.totp_enabled = s.int_at(9) != 0;
  u.totp_last_step = s.opt_int_at(10);
  u.guardian_id = s.opt_int_at(11);
  u.created_at_ms = s.int_at(12);
  u.password_changed_at_ms = s.int_at(13);
  u.locked_until_ms = s.opt_int_at(14);
  u.failures_after_event_id = s.int_at(15);
  return u;
}

// User names are ASCII without spaces or controls, and stored lower case, so
// that "Zhang.San" and "zhang.san" cannot be two accounts.
Result<void> check_username(std::string_view name, const std::string& db_path) {
  const bool shaped = !name.empty() && name.size() <= kUsernameBytesMax &&
                      std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 0x7F; });
  if (!shaped || repo::ascii_lowered(name) != name) {
    return fail("BAD_VALUE",
                "用户名须为 1-64 个 ASCII 小写字符，不含空格 (user name must be 1-64 lower-case ASCII characters): " +
                    std::string(name),
                {db_path, 0, "username"});
  }
  return {};
}

// The roles, checked and without repeats, in kRoleKeys order.
Result<std::vector<std::string>> checked_roles(const std::vector<std::string>& roles, const std::string& db_path) {
  for (const auto& r : roles) {
    if (std::find(kRoleKeys.begin(), kRoleKeys.end(), r) == kRoleKeys.end()) {
      return fail("BAD_VALUE", "未知角色 (unknown role): " + r, {db_path, 0, "role"});
    }
  }
  std::vector<std::string> out;
  for (std::string_view key : kRoleKeys) {
    if (std::find(roles.begin(), roles.end(), key) != roles.end()) out.emplace_back(key);
  }
  return out;
}

}  // namespace

// --- reading -------------------------------------------------------------------

namespace {

Result<void> load_roles(Connection& db, User& user) {
  static const std::string sql =
      "SELECT role FROM user_role WHERE user_id = ? ORDER BY " + std::string(kRoleOrder);
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, user.id);
  auto roles = repo::collect(*stmt, [](const Statement& s) -> Result<std::string> { return s.text_at(0); },
                             kRoleKeys.size());
  if (!roles) return tl::unexpected(roles.error());
  user.roles = std::move(*roles);
  return {};
}

Result<std::optional<User>> with_roles(Connection& db, Result<std::optional<User>> found) {
  if (!found || !*found) return found;
  if (auto ok = load_roles(db, **found); !ok) return tl::unexpected(ok.error());
  return found;
}

}  // namespace

Result<std::optional<User>> SqliteStore::get_user(int64_t id) {
  static const std::string sql = std::string(kUserSelect) + " WHERE u.id = ?";
  Result<std::optional<User>> found;
  {
    auto stmt = db_.prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, id);
    found = first(*stmt, read_user);
  }
  return with_roles(db_, std::move(found));
}

Result<std::optional<User>> SqliteStore::find_user_by_username(std::string_view username) {
  static const std::string sql = std::string(kUserSelect) + " WHERE u.username = ?";
  Result<std::optional<User>> found;
  {
    auto stmt = db_.prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_text(1, repo::ascii_lowered(username));
    found = first(*stmt, read_user);
  }
  return with_roles(db_, std::move(found));
}

Result<Page<User>> SqliteStore::list_users(std::string_view path, const UserFilter& filter, int64_t offset,
                                           int64_t limit) {
  if (auto ok = repo::check_page(offset, limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  repo::Where where;
  where.add("n.path >= ? AND n.path < ?", {scope.low, scope.high});
  if (filter.username_contains && !filter.username_contains->empty()) {
    // LIKE only for this search box; the data scope is the path range above.
    where.add("u.username LIKE ? ESCAPE '\\'",
              {"%" + repo::like_escaped(repo::ascii_lowered(*filter.username_contains)) + "%"});
  }
  if (filter.org_id) where.add("u.org_id = ?", {*filter.org_id});
  if (filter.role) {
    where.add("EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = ?)", {*filter.role});
  }

  Page<User> page;
  {
    auto count = db_.prepare("SELECT COUNT(*) FROM app_user u JOIN org_node n ON n.id = u.org_id" + where.sql());
    if (!count) return tl::unexpected(count.error());
    where.bind(*count, codec_);
    auto total = repo::single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  }
  {
    auto stmt = db_.prepare(std::string(kUserSelect) + where.sql() + " ORDER BY u.username LIMIT ? OFFSET ?");
    if (!stmt) return tl::unexpected(stmt.error());
    const int next = where.bind(*stmt, codec_);
    stmt->bind_int(next, limit).bind_int(next + 1, offset);
    auto users = repo::collect(*stmt, read_user, static_cast<size_t>(limit));
    if (!users) return tl::unexpected(users.error());
    page.items = std::move(*users);
  }
  for (User& u : page.items) {
    if (auto ok = load_roles(db_, u); !ok) return tl::unexpected(ok.error());
  }
  return page;
}

Result<int64_t> SqliteStore::count_users() {
  auto stmt = db_.prepare("SELECT COUNT(*) FROM app_user");
  if (!stmt) return tl::unexpected(stmt.error());
  return repo::single_int(*stmt);
}

// --- writing -------------------------------------------------------------------

namespace {

Result<void> insert_roles(Connection& db, int64_t user_id, const std::vector<std::string>& roles) {
  for (const auto& role : roles) {
    auto stmt = db.prepare("INSERT INTO user_role (user_id, role) VALUES (?, ?)");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, user_id).bind_text(2, role);
    if (auto ok = stmt->run(); !ok) return ok;
  }
  return {};
}

}  // namespace

Result<int64_t> SqliteStore::create_user(const UserInput& user) {
  if (auto ok = check_username(user.username, db_.path()); !ok) return tl::unexpected(ok.error());
  auto roles = checked_roles(user.roles, db_.path());
  if (!roles) return tl::unexpected(roles.error());
  return atomically<int64_t>([&]() -> Result<int64_t> {
    auto existing = find_user_by_username(user.username);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) {
      return fail("CONFLICT", "用户名已存在 (user name taken): " + user.username, {db_.path(), 0, "username"});
    }
    int64_t id = 0;
    {
      auto stmt = db_.prepare(
          "INSERT INTO app_user (username, display_name, org_id, password_hash, must_change_password, disabled,"
          " totp_enabled, guardian_id, created_at_ms, password_changed_at_ms)"
          " VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?) RETURNING id");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_text(1, user.username)
          .bind_text(2, user.display_name)
          .bind_int(3, user.org_id)
          .bind_text(4, user.password_hash)
          .bind_int(5, user.must_change_password ? 1 : 0);
      repo::bind_opt_int(*stmt, 6, user.guardian_id);
      stmt->bind_int(7, user.created_at_ms).bind_int(8, user.created_at_ms);
      auto inserted = repo::single_int(*stmt);
      if (!inserted) return tl::unexpected(inserted.error());
      id = *inserted;
    }
    if (auto ok = insert_roles(db_, id, *roles); !ok) return tl::unexpected(ok.error());
    return id;
  });
}

Result<void> SqliteStore::set_password(int64_t user_id, std::string_view password_hash, bool must_change,
                                       int64_t changed_at_ms) {
  auto stmt = db_.prepare(
      "UPDATE app_user SET password_hash = ?, must_change_password = ?, password_changed_at_ms = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, password_hash).bind_int(2, must_change ? 1 : 0).bind_int(3, changed_at_ms).bind_int(4, user_id);
  if (auto ok = stmt->run(); !ok) return ok;
  return require_changed("用户 (user)", user_id);
}

Result<void> SqliteStore::set_user_disabled(int64_t user_id, bool disabled) {
  auto stmt = db_.prepare("UPDATE app_user SET disabled = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, disabled ? 1 : 0).bind_int(2, user_id);
  if (auto ok = stmt->run(); !ok) return ok;
  return require_changed("用户 (user)", user_id);
}

Result<void> SqliteStore::set_user_roles(int64_t user_id, const std::vector<std::string>& roles) {
  auto checked = checked_roles(roles, db_.path());
  if (!checked) return tl::unexpected(checked.error());
  return atomically<void>([&]() -> Result<void> {
    {
      auto exists = db_.prepare("SELECT COUNT(*) FROM app_user WHERE id = ?");
      if (!exists) return tl::unexpected(exists.error());
      exists->bind_int(1, user_id);
      auto n = repo::single_int(*exists);
      if (!n) return tl::unexpected(n.error());
      if (*n == 0) return fail("NOT_FOUND", "用户不存在 (user not found): " + std::to_string(user_id));
    }
    {
      auto stmt = db_.prepare("DELETE FROM user_role WHERE user_id = ?");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, user_id);
      if (auto ok = stmt->run(); !ok) return ok;
    }
    return insert_roles(db_, user_id, *checked);
  });
}

Result<void> SqliteStore::set_totp(int64_t user_id, std::string_view sealed_secret, bool enabled) {
  if (sealed_secret.empty()) {
    return fail("BAD_VALUE", "动态口令密钥为空 (empty TOTP secret)", {db_.path(), 0, "totp_secret"});
  }
  // SET expressions see the row as it was: the step survives only when the
  // secret stays the same (the confirmation of an enrolment).
  auto stmt = db_.prepare(
      "UPDATE app_user SET totp_secret = ?1, totp_enabled = ?2,"
      " totp_last_step = CASE WHEN totp_secret = ?1 THEN totp_last_step ELSE NULL END WHERE id = ?3");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, sealed_secret).bind_int(2, enabled ? 1 : 0).bind_int(3, user_id);
  if (auto ok = stmt->run(); !ok) return ok;
  return require_changed("用户 (user)", user_id);
}

Result<void> SqliteStore::clear_totp(int64_t user_id) {
  return atomically<void>([&]() -> Result<void> {
    {
      auto stmt = db_.prepare(
          "UPDATE app_user SET totp_secret = NULL, totp_enabled = 0, totp_last_step = NULL WHERE id = ?");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, user_id);
      if (auto ok = stmt->run(); !ok) return ok;
      if (auto ok = require_changed("用户 (user)", user_id); !ok) return ok;
    }
    return replace_recovery_codes(user_id, {});
  });
}

Result<void> SqliteStore::set_totp_last_step(int64_t user_id, int64_t step) {
  auto stmt = db_.prepare("UPDATE app_user SET totp_last_step = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, step).bind_int(2, user_id);
  if (auto ok = stmt->run(); !ok) return ok;
  return require_changed("用户 (user)", user_id);
}

Result<void> SqliteStore::set_lockout(int64_t user_id, std::optional<int64_t> locked_until_ms) {
  // The newest event of anyone: ids only grow, so every failure logged from
  // here on is above the mark (the caller logs the event of this login first).
  auto stmt = db_.prepare(
      "UPDATE app_user SET locked_until_ms = ?,"
      " failures_after_event_id = (SELECT COALESCE(MAX(id), 0) FROM login_event) WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  repo::bind_opt_int(*stmt, 1, locked_until_ms);
  stmt->bind_int(2, user_id);
  if (auto ok = stmt->run(); !ok) return ok;
  return require_changed("用户 (user)", user_id);
}

// --- recovery codes ------------------------------------------------------------

Result<void> SqliteStore::replace_recovery_codes(int64_t user_id, const std::vector<std::string>& code_hashes) {
  if (code_hashes.size() > kRecoveryCodesMax) {
    return fail("BAD_VALUE", "恢复码过多 (too many recovery codes): " + std::to_string(code_hashes.size()));
  }
  return atomically<void>([&]() -> Result<void> {
    {
      auto stmt = db_.prepare("DELETE FROM recovery_code WHERE user_id = ?");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, user_id);
      if (auto ok = stmt->run(); !ok) return ok;
    }
    for (const auto& hash : code_hashes) {
      auto stmt = db_.prepare("INSERT INTO recovery_code (user_id, code_hash) VALUES (?, ?)");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, user_id).bind_text(2, hash);
      if (auto ok = stmt->run(); !ok) return ok;
    }
    return {};
  });
}

Result<bool> SqliteStore::consume_recovery_code(int64_t user_id, std::string_view code_hash, int64_t at_ms) {
  auto stmt = db_.prepare(
      "UPDATE recovery_code SET used_at_ms = ? WHERE user_id = ? AND code_hash = ? AND used_at_ms IS NULL");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, at_ms).bind_int(2, user_id).bind_text(3, code_hash);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return changes() > 0;
}

Result<int64_t> SqliteStore::count_unused_recovery_codes(int64_t user_id) {
  auto stmt = db_.prepare("SELECT COUNT(*) FROM recovery_code WHERE user_id = ? AND used_at_ms IS NULL");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, user_id);
  return repo::single_int(*stmt);
}

}  // namespace zizhu::store::sqlite
