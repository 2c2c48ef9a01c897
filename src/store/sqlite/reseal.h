// Re-encoding every sensitive value of the database from one codec to another,
// in one transaction: what a key rotation (`zizhu keys rotate`) does after the
// new key is added, and what turns a database of another codec into this one.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/sensitive.h"
#include "store/sqlite/db.h"

namespace zizhu::store::sqlite {

// One sensitive column pair of the schema: `column` holds the stored form,
// `column`_index the blind index.
struct SealedColumn {
  std::string_view table;
  std::string_view column;
  SensitiveKind kind;
};

// Every sensitive column pair of the schema (the one list; reseal.cc).
std::span<const SealedColumn> sealed_columns();

struct ResealCount {
  std::string table;
  std::string column;
  int64_t values = 0;  // non-NULL values re-encoded
};

struct ResealReport {
  std::vector<ResealCount> columns;  // in the order of sealed_columns()
  int64_t values_total = 0;
  // false when another connection kept the WAL from being emptied: the old
  // forms then stay in the -wal file until its next checkpoint.
  bool wal_emptied = false;
};

// Decodes every value with `from`, stores it encoded by `to` with `to`'s blind
// index, all in one transaction (BEGIN IMMEDIATE ... COMMIT): on any error
// nothing is changed. The error names the table, column and row id of a value
// `from` cannot decode. Refuses to run inside an open transaction.
Result<ResealReport> reseal_all(Connection& db, const SensitiveCodec& from, const SensitiveCodec& to);

// How many stored values name each key id, "" counting those that are not
// sealed text (written without keys): the columns of sealed_columns() and
// those sealed by their owners through crypto::Sealer (app_user.totp_secret,
// which reseal_all does not touch), and the audit records whose chain was
// MACed with each key (audit_log.key_id). Tells whether a key can leave the
// ring, and what an interrupted rotation left behind.
Result<std::map<std::string, int64_t>> count_values_by_key(Connection& db);

}  // namespace zizhu::store::sqlite
