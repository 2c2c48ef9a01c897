#include "store/sqlite/db.h"

#include <climits>

namespace zizhu::store::sqlite {

namespace {
// SQLite takes lengths as int; texts longer than that are refused by the
// bind itself (SQLITE_TOOBIG), never silently cut.
int text_length(std::string_view text) {
  return text.size() > static_cast<size_t>(INT_MAX) ? -1 : static_cast<int>(text.size());
}
}  // namespace

// --- Statement ---------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_), stmt_(other.stmt_), bind_rc_(other.bind_rc_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind_int(int index, int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  const int length = text_length(value);
  if (length < 0) {
    note_bind(SQLITE_TOOBIG);
  } else {
    note_bind(sqlite3_bind_text(stmt_, index, value.data(), length, SQLITE_TRANSIENT));
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::bind_opt_text(int index, const std::optional<std::string>& value) {
  return value ? bind_text(index, *value) : bind_null(index);
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) return tl::unexpected(connection_->error_code(bind_rc_, sqlite3_sql(stmt_)));
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(connection_->error_code(rc, sqlite3_sql(stmt_)));
}

Result<void> Statement::run() {
  // A bound on the loop: statements run this way return at most a handful of
  // rows (PRAGMA answers, RETURNING of one row).
  for (int i = 0; i < 1'000'000; ++i) {
    auto more = step();
    if (!more) return tl::unexpected(more.error());
    if (!*more) return {};
  }
  return fail("DB", std::string("语句返回的行数过多 (too many rows): ") + sqlite3_sql(stmt_));
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

int64_t Statement::int_at(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text_at(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int length = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(length));
}

std::optional<std::string> Statement::opt_text_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return text_at(column);
}

std::optional<int64_t> Statement::opt_int_at(int column) const {
  if (is_null(column)) return std::nullopt;
  return int_at(column);
}

// --- Connection --------------------------------------------------------------

namespace {

// Before SQLite's first use in the process: no memory statistics (they take
// a process-wide mutex on every allocation, which the server's workers then
// queue on; we never read them).
void configure_sqlite_once() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;  // SQLITE_MISUSE when something initialised SQLite first: harmless
}

}  // namespace

Result<Connection> Connection::open(const std::string& path) {
  configure_sqlite_once();
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (StorePool lends
  // each to one worker), so SQLite's per-connection mutex only costs.
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<sqlite3, CloseDb> db(raw);
  if (rc != SQLITE_OK) {
    std::string message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return fail("DB", "无法打开数据库 (cannot open database) " + path + ": " + message, {path, 0, ""});
  }
  // Extended codes tell a constraint's kind (SQLITE_CONSTRAINT_FOREIGNKEY ...).
  sqlite3_extended_result_codes(raw, 1);
  return Connection(std::move(db), path);
}

Result<void> Connection::exec(std::string_view sql) {
  // sqlite3_exec needs a terminated string; migrations and BEGIN are rare.
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return fail("DB", "数据库错误 (database error): " + detail + " [SQL: " + text.substr(0, 200) + "]",
                {path_, 0, ""});
  }
  return {};
}

Result<Statement> Connection::prepare(std::string_view sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int length = text_length(sql);
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), length, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, Finalize> stmt(raw);
    if (rc != SQLITE_OK) return tl::unexpected(error_code(rc, sql));
    if (raw == nullptr) return fail("DB", "空语句 (empty statement)", {path_, 0, ""});
    found = cache_.emplace(std::string(sql), std::move(stmt)).first;
  }
  sqlite3_stmt* stmt = found->second.get();
  if (sqlite3_stmt_busy(stmt) != 0) {
    // Two live uses of one statement would reset each other's rows.
    return fail("DB", "语句正在使用中 (statement already in use): " + std::string(sql), {path_, 0, ""});
  }
  return Statement(this, stmt);
}

Error Connection::error(std::string_view sql) const {
  return error_code(sqlite3_extended_errcode(db_.get()), sql);
}

Error Connection::error_code(int rc, std::string_view sql) const {
  std::string detail = sqlite3_errmsg(db_.get());
  if (detail.empty() || detail == "not an error") detail = sqlite3_errstr(rc);
  std::string shown(sql.substr(0, 200));
  return Error::make("DB", "数据库错误 (database error): " + detail + " [SQL: " + shown + "]", {path_, 0, ""});
}

}  // namespace zizhu::store::sqlite
