// Thin RAII wrappers over the sqlite3 C API: a connection that owns its
// prepared statements (prepared once, reused), and a statement handle that
// resets itself when it goes out of scope. Every failure is a Result error
// carrying SQLite's own error text and the statement.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

namespace zizhu::store::sqlite {

class Connection;

// One use of a cached prepared statement: bind, step, read columns. On
// destruction the statement is reset and its bindings cleared, ready for the
// next use. Not copyable; at most one use of a statement at a time.
class Statement {
 public:
  Statement(Connection* connection, sqlite3_stmt* stmt) : connection_(connection), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL. A failed bind is reported by the next
  // step().
  Statement& bind_int(int index, int64_t value);
  Statement& bind_text(int index, std::string_view value);
  Statement& bind_null(int index);
  Statement& bind_opt_text(int index, const std::optional<std::string>& value);

  // true: a row is ready to read; false: the statement is done.
  Result<bool> step();
  // Steps until done (for statements that return no rows, or whose rows are
  // not needed).
  Result<void> run();

  // Columns are 0-based, as in the sqlite3 API.
  bool is_null(int column) const;
  int64_t int_at(int column) const;
  std::string text_at(int column) const;
  std::optional<std::string> opt_text_at(int column) const;
  std::optional<int64_t> opt_int_at(int column) const;

 private:
  void note_bind(int rc);
  Connection* connection_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

class Connection {
 public:
  // Opens (creating when absent) the database file. Nothing else: pragmas and
  // migrations are SqliteStore's business.
  static Result<Connection> open(const std::string& path);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  // Runs one or more statements that return no rows we need (DDL, BEGIN ...).
  Result<void> exec(std::string_view sql);
  // The prepared statement for `sql`, prepared on first use and kept.
  Result<Statement> prepare(std::string_view sql);

  // An error with SQLite's current message, the statement and the file.
  Error error(std::string_view sql) const;
  Error error_code(int rc, std::string_view sql) const;

  sqlite3* handle() const { return db_.get(); }
  const std::string& path() const { return path_; }
  bool autocommit() const { return sqlite3_get_autocommit(db_.get()) != 0; }
  size_t cached_statements() const { return cache_.size(); }

 private:
  struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  Connection(std::unique_ptr<sqlite3, CloseDb> db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

  // Declared first so that it is destroyed last, after every statement.
  std::unique_ptr<sqlite3, CloseDb> db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, Finalize>, Hash, std::equal_to<>> cache_;
};

}  // namespace zizhu::store::sqlite
