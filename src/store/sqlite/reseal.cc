#include "store/sqlite/reseal.h"

#include <array>

#include "crypto/key_ring.h"

namespace zizhu::store::sqlite {

namespace {

// THE list of sensitive column pairs. A migration that adds a sensitive
// column pair (`x`, `x_index`) must add it here, or a key rotation leaves its
// values under the old key (and its blind indexes unfindable under the new
// one); reseal_test.cc checks that every *_index column of the schema is
// listed. app_user.totp_secret is not listed: the app seals it with its own
// context through crypto::Sealer, not through a SensitiveCodec, and it has
// no blind index.
constexpr std::array kSealedColumns = {
    SealedColumn{"guardian", "id_number", SensitiveKind::kResidentId},
    SealedColumn{"guardian", "phone", SensitiveKind::kPhone},
    SealedColumn{"student", "student_no", SensitiveKind::kStudentNo},
    SealedColumn{"student", "id_number", SensitiveKind::kResidentId},
    SealedColumn{"student", "bank_card", SensitiveKind::kBankCard},
    SealedColumn{"dept_list_entry", "id_number", SensitiveKind::kResidentId},
};

// Rows are read in batches by rowid and updated between batches, so that no
// SELECT is open on a table while it is written, and memory stays bounded
// whatever the size of the roster.
constexpr int64_t kBatchRows = 1000;

struct Row {
  int64_t id = 0;
  std::string stored;
};

Result<int64_t> reseal_column(Connection& db, const SealedColumn& col, const SensitiveCodec& from,
                              const SensitiveCodec& to) {
  const std::string table(col.table);
  const std::string column(col.column);
  const std::string select = "SELECT rowid, " + column + " FROM " + table + " WHERE rowid > ?1 AND " + column +
                             " IS NOT NULL ORDER BY rowid LIMIT " + std::to_string(kBatchRows);
  const std::string update = "UPDATE " + table + " SET " + column + " = ?1, " + column + "_index = ?2 WHERE rowid = ?3";
  int64_t done = 0;
  int64_t after = 0;  // rowids start at 1
  for (;;) {
    std::vector<Row> batch;
    {
      auto stmt = db.prepare(select);
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, after);
      for (;;) {
        auto row = stmt->step();
        if (!row) return tl::unexpected(row.error());
        if (!*row) break;
        batch.push_back(Row{stmt->int_at(0), stmt->text_at(1)});
      }
    }  // the statement is reset here, before any write
    if (batch.empty()) return done;
    for (const Row& row : batch) {
      auto plain = from.decode(col.kind, row.stored);
      if (!plain) {
        Error e = plain.error();
        e.message = table + "." + column + " (id " + std::to_string(row.id) + "): " + e.message;
        e.where = Location{db.path(), 0, table + "." + column};
        return tl::unexpected(std::move(e));
      }
      auto stmt = db.prepare(update);
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_text(1, to.encode_for_storage(col.kind, *plain));
      stmt->bind_text(2, to.blind_index(col.kind, *plain));
      stmt->bind_int(3, row.id);
      if (auto ran = stmt->run(); !ran) return tl::unexpected(ran.error());
      ++done;
    }
    after = batch.back().id;
  }
}

Result<ResealReport> reseal_in_transaction(Connection& db, const SensitiveCodec& from, const SensitiveCodec& to) {
  ResealReport report;
  for (const SealedColumn& col : kSealedColumns) {
    auto n = reseal_column(db, col, from, to);
    if (!n) return tl::unexpected(n.error());
    report.columns.push_back(ResealCount{std::string(col.table), std::string(col.column), *n});
    report.values_total += *n;
  }
  return report;
}

Result<ResealReport> reseal_atomically(Connection& db, const SensitiveCodec& from, const SensitiveCodec& to) {
  // IMMEDIATE takes the write lock now: no other writer can slip a value
  // under the old key in between.
  if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) return tl::unexpected(begun.error());
  auto report = reseal_in_transaction(db, from, to);
  if (!report) {
    (void)db.exec("ROLLBACK");  // the error to report is the first one
    return report;
  }
  if (auto committed = db.exec("COMMIT"); !committed) {
    (void)db.exec("ROLLBACK");
    return tl::unexpected(committed.error());
  }
  return report;
}

}  // namespace

std::span<const SealedColumn> sealed_columns() { return kSealedColumns; }

Result<ResealReport> reseal_all(Connection& db, const SensitiveCodec& from, const SensitiveCodec& to) {
  if (!db.autocommit()) {
    return fail("DB", "重新加密须在事务之外开始 (reseal runs its own transaction; one is already open)",
                {db.path(), 0, ""});
  }
  // The old forms must not stay readable in the file: secure_delete zeroes
  // the space they leave, and the checkpoint below empties the WAL, whose
  // older frames still hold the pages as they were written (plain values,
  // when a database written without keys is being sealed).
  if (auto on = db.exec("PRAGMA secure_delete = ON"); !on) return tl::unexpected(on.error());
  auto report = reseal_atomically(db, from, to);
  (void)db.exec("PRAGMA secure_delete = OFF");  // the SQLite default; only this work needs the cost
  if (!report) return report;
  // A reader of another process can hold the checkpoint back (its first
  // column, "busy", is then 1): the caller is told, the reseal stands.
  auto checkpoint = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  if (!checkpoint) return tl::unexpected(checkpoint.error());
  auto row = checkpoint->step();
  if (!row) return tl::unexpected(row.error());
  report->wal_emptied = *row && checkpoint->int_at(0) == 0;
  return report;
}

}  // namespace zizhu::store::sqlite

namespace zizhu::store::sqlite {

namespace {

// Columns sealed by crypto::Sealer with a context of their own, not through a
// SensitiveCodec: reseal_all leaves them alone (they have no blind index and
// their owner opens them), but they count when asking whether a key is still
// in use. Counted only when the table exists (its migration may be absent).
struct SealedElsewhere {
  std::string_view table;
  std::string_view column;
};
constexpr std::array kSealedElsewhere = {
    SealedElsewhere{"app_user", "totp_secret"},
};

// Columns that hold a plain key id: the audit chain (docs/audit.md) records
// which key MACed each record, and verifying a record needs that key for as
// long as the record is kept.
constexpr std::array kKeyIdColumns = {
    SealedElsewhere{"audit_log", "key_id"},
};

Result<bool> has_column(Connection& db, std::string_view table, std::string_view column) {
  auto stmt = db.prepare("SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, table).bind_text(2, column);
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return *row && stmt->int_at(0) > 0;
}

Result<void> count_column(Connection& db, std::string_view table, std::string_view column_name,
                          std::map<std::string, int64_t>& counts) {
  const std::string column(column_name);
  // The key id sits between the first two dots of "v1.<id>.<data>".
  // Counted in SQL, so that a roster of millions is not read into memory.
  const std::string rest = "substr(" + column + ", 4)";
  auto stmt =
      db.prepare("SELECT CASE WHEN substr(" + column + ", 1, 3) = 'v1.' AND instr(" + rest + ", '.') > 0 THEN substr(" +
                 rest + ", 1, instr(" + rest + ", '.') - 1) ELSE '' END AS key_id, COUNT(*) FROM " +
                 std::string(table) + " WHERE " + column + " IS NOT NULL GROUP BY key_id");
  if (!stmt) return tl::unexpected(stmt.error());
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
    std::string id = stmt->text_at(0);
    if (!crypto::valid_key_id(id)) id.clear();
    counts[id] += stmt->int_at(1);
  }
}

}  // namespace

Result<std::map<std::string, int64_t>> count_values_by_key(Connection& db) {
  std::map<std::string, int64_t> counts;
  for (const SealedColumn& col : kSealedColumns) {
    if (auto ok = count_column(db, col.table, col.column, counts); !ok) return tl::unexpected(ok.error());
  }
  for (const SealedElsewhere& col : kSealedElsewhere) {
    auto present = has_column(db, col.table, col.column);
    if (!present) return tl::unexpected(present.error());
    if (!*present) continue;
    if (auto ok = count_column(db, col.table, col.column, counts); !ok) return tl::unexpected(ok.error());
  }
  for (const SealedElsewhere& col : kKeyIdColumns) {
    auto present = has_column(db, col.table, col.column);
    if (!present) return tl::unexpected(present.error());
    if (!*present) continue;
    const std::string column(col.column);
    auto stmt = db.prepare("SELECT " + column + ", COUNT(*) FROM " + std::string(col.table) + " GROUP BY " + column);
    if (!stmt) return tl::unexpected(stmt.error());
    for (;;) {
      auto row = stmt->step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      std::string id = stmt->text_at(0);
      if (!crypto::valid_key_id(id)) id.clear();
      counts[id] += stmt->int_at(1);
    }
  }
  return counts;
}

}  // namespace zizhu::store::sqlite
