// Applies the forward-only migrations (store/migrations.h) to a SQLite
// database: each missing version in its own transaction, recorded in
// schema_migrations; a database that knows a version this program does not is
// refused before anything is written.
#pragma once

#include <span>

#include "core/error.h"
#include "store/migrations.h"
#include "store/sqlite/db.h"

namespace zizhu::store::sqlite {

// Returns the schema version after migrating. Error codes: DB_TOO_NEW (the
// database was written by a newer zizhu), DB_FOREIGN (its migration history
// does not match ours), DB (a migration failed: it was rolled back, the ones
// before it stay).
Result<int> migrate(Connection& db, std::span<const Migration> list);

// The highest version recorded, 0 for a database without migrations.
Result<int> applied_schema_version(Connection& db);

}  // namespace zizhu::store::sqlite
