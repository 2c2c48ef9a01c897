#include "store/sqlite/migrate.h"

#include <chrono>
#include <ctime>
#include <map>
#include <string>

namespace zizhu::store::sqlite {

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

// UTC, ISO 8601, computed here rather than with an SQL date function so that
// the same text works on every backend.
std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string label(const Migration& m) {
  std::string number = std::to_string(m.version);
  if (number.size() < 4) number.insert(0, 4 - number.size(), '0');
  return number + "_" + std::string(m.name);
}

Result<std::map<int, std::string>> read_applied(Connection& db) {
  auto stmt = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version");
  if (!stmt) return tl::unexpected(stmt.error());
  std::map<int, std::string> applied;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    applied.emplace(static_cast<int>(stmt->int_at(0)), stmt->text_at(1));
  }
  return applied;
}

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on any error.
template <class Body>
Result<void> in_transaction(Connection& db, Body&& body) {
  if (auto ok = db.exec("BEGIN IMMEDIATE"); !ok) return ok;
  Result<void> result = body();
  if (result) result = db.exec("COMMIT");
  if (!result && !db.autocommit()) (void)db.exec("ROLLBACK");
  return result;
}

}  // namespace

Result<int> applied_schema_version(Connection& db) {
  auto stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return static_cast<int>(stmt->int_at(0));
}

Result<int> migrate(Connection& db, std::span<const Migration> list) {
  const int latest = list.empty() ? 0 : list.back().version;
  std::map<int, std::string> applied;
  // A database that is up to date needs no write lock: read first, so that
  // opening never waits for another process's long write transaction.
  auto exists = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists) return tl::unexpected(exists.error());
  auto exists_row = exists->step();
  if (!exists_row) return tl::unexpected(exists_row.error());
  const bool have_table = exists->int_at(0) != 0;
  if (auto done = exists->run(); !done) return tl::unexpected(done.error());
  Result<void> checked;
  if (have_table) {
    auto read = read_applied(db);
    if (!read) return tl::unexpected(read.error());
    applied = std::move(*read);
  } else {
    checked = in_transaction(db, [&]() -> Result<void> {
      if (auto ok = db.exec(kCreateTable); !ok) return ok;
      auto read = read_applied(db);
      if (!read) return tl::unexpected(read.error());
      applied = std::move(*read);
      return {};
    });
  }
  if (!checked) return tl::unexpected(checked.error());

  // Refuse before writing anything: a newer program may have changed the
  // meaning of columns we would otherwise write into.
  if (!applied.empty() && applied.rbegin()->first > latest) {
    return fail("DB_TOO_NEW",
                "数据库 " + db.path() + " 的结构版本为 " + std::to_string(applied.rbegin()->first) +
                    "，比本程序支持的版本 " + std::to_string(latest) +
                    " 新；请使用更新版本的 zizhu (the database schema is newer than this program)",
                {db.path(), 0, ""});
  }
  for (const auto& m : list) {
    auto found = applied.find(m.version);
    if (found != applied.end() && found->second != m.name) {
      return fail("DB_FOREIGN",
                  "数据库 " + db.path() + " 的第 " + std::to_string(m.version) + " 版迁移是 '" + found->second +
                      "'，本程序的是 '" + std::string(m.name) +
                      "'：不是本程序的数据库 (the database's migration history does not match this program)",
                  {db.path(), 0, ""});
    }
  }

  for (const auto& m : list) {
    if (applied.count(m.version) != 0) continue;
    auto ok = in_transaction(db, [&]() -> Result<void> {
      // Another process may have applied it since we looked.
      auto again = read_applied(db);
      if (!again) return tl::unexpected(again.error());
      if (again->count(m.version) != 0) return {};
      if (auto ran = db.exec(m.sql); !ran) return ran;
      auto insert = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      if (!insert) return tl::unexpected(insert.error());
      insert->bind_int(1, m.version).bind_text(2, m.name).bind_text(3, utc_now());
      return insert->run();
    });
    if (!ok) {
      Error e = ok.error();
      e.message = "迁移 " + label(m) + " 失败，已回滚 (migration failed, rolled back): " + e.message;
      return tl::unexpected(std::move(e));
    }
  }
  return applied_schema_version(db);
}

}  // namespace zizhu::store::sqlite
