// Forward-only, versioned schema migrations, compiled into the program. A
// database records the versions applied in `schema_migrations(version, name,
// applied_at)`; at open each missing one is applied in its own transaction, and
// a database with a version this program does not know is refused.
//
// Rules: never edit or renumber a migration that has shipped; add a new one.
// Keep the SQL portable to PostgreSQL 15 except where docs/store.md says.
#pragma once

#include <span>
#include <string_view>

namespace zizhu::store {

struct Migration {
  int version;            // 1, 2, 3 ... without gaps
  std::string_view name;  // e.g. "organisation_students"
  std::string_view sql;   // one or more statements
};

// In version order.
std::span<const Migration> migrations();

// The version of the newest migration this program knows.
int latest_schema_version();

}  // namespace zizhu::store
