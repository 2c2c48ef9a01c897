// SqliteStore: the double-entry ledger (migration 13, docs/ledger.md). Raw
// reads and writes only: which transfers are accepted is decided in
// funds/ledger.cc, and funds/ledger_service.cc wraps load -> apply -> write in
// one write transaction (BEGIN IMMEDIATE), so two writers never interleave.
#include <string>
#include <utility>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

constexpr std::string_view kAccountColumns =
    "SELECT id, org_id, kind, no_overdraft, debits_pending_fen, debits_posted_fen, credits_pending_fen,"
    " credits_posted_fen, created_at_ms FROM ledger_account";

constexpr std::string_view kTransferColumns =
    "SELECT seq, id, debit_account_id, credit_account_id, amount_fen, code, flags, pending_id, corrects_id,"
    " cycle_id, source, budget_doc, user_id, timestamp_ms FROM ledger_transfer";

// Upper bound on ids looked up in one call: a batch names at most 8190
// transfers, each with at most three ids (its own, pending, corrected).
constexpr size_t kLookupIdsMax = 3 * 8190 + 16;

Result<LedgerAccount> read_account(const Connection& db, const Statement& s) {
  LedgerAccount a;
  a.id = s.int_at(0);
  a.org_id = s.int_at(1);
  const std::string kind = s.text_at(2);
  auto k = parse_ledger_account_kind(kind);
  if (!k) return tl::unexpected(repo::corrupt(db, "ledger_account.kind " + kind));
  a.kind = *k;
  a.no_overdraft = s.int_at(3) != 0;
  a.debits_pending_fen = s.int_at(4);
  a.debits_posted_fen = s.int_at(5);
  a.credits_pending_fen = s.int_at(6);
  a.credits_posted_fen = s.int_at(7);
  a.created_at_ms = s.int_at(8);
  return a;
}

Result<LedgerTransfer> read_transfer(const Connection& db, const Statement& s) {
  LedgerTransfer t;
  t.seq = s.int_at(0);
  t.id = s.int_at(1);
  t.debit_account_id = s.int_at(2);
  t.credit_account_id = s.int_at(3);
  t.amount_fen = s.int_at(4);
  const std::string code = s.text_at(5);
  auto c = parse_transfer_code(code);
  if (!c) return tl::unexpected(repo::corrupt(db, "ledger_transfer.code " + code));
  t.code = *c;
  const int64_t flags = s.int_at(6);
  if (flags < 0 || flags > static_cast<int64_t>(transfer_flags::kAll)) {
    return tl::unexpected(repo::corrupt(db, "ledger_transfer.flags " + std::to_string(flags)));
  }
  t.flags = static_cast<uint32_t>(flags);
  t.pending_id = s.opt_int_at(7).value_or(0);
  t.corrects_id = s.opt_int_at(8).value_or(0);
  t.cycle_id = s.opt_int_at(9);
  t.source = s.text_at(10);
  t.budget_doc = s.text_at(11);
  t.user_id = s.int_at(12);
  t.timestamp_ms = s.int_at(13);
  return t;
}

Result<void> check_lookup(size_t ids) {
  if (ids > kLookupIdsMax) return fail("BAD_VALUE", "一次查询的编号过多 (too many ids in one lookup)");
  return {};
}

}  // namespace

Result<void> SqliteStore::create_ledger_account(const LedgerAccount& a) {
  auto stmt = db_.prepare(
      "INSERT INTO ledger_account (id, org_id, kind, no_overdraft, debits_pending_fen, debits_posted_fen,"
      " credits_pending_fen, credits_posted_fen, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (id) DO NOTHING");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, a.id)
      .bind_int(2, a.org_id)
      .bind_text(3, ledger_account_kind_key(a.kind))
      .bind_int(4, a.no_overdraft ? 1 : 0)
      .bind_int(5, a.debits_pending_fen)
      .bind_int(6, a.debits_posted_fen)
      .bind_int(7, a.credits_pending_fen)
      .bind_int(8, a.credits_posted_fen)
      .bind_int(9, a.created_at_ms);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  if (changes() == 0) {
    return fail("CONFLICT", "账户编号已存在 (ledger account exists): " + std::to_string(a.id), {db_.path(), 0, "id"});
  }
  return {};
}

namespace {

// One indexed lookup per key with a prepared (cached) statement: a few
// microseconds each, and no statement text that grows with the batch. Keys
// with no row are left out.
template <class Read>
auto rows_by_key(Connection& db, const std::string& sql, const std::vector<int64_t>& keys, Read&& read)
    -> Result<std::vector<typename decltype(read(std::declval<const Statement&>()))::value_type>> {
  using T = typename decltype(read(std::declval<const Statement&>()))::value_type;
  if (auto ok = check_lookup(keys.size()); !ok) return tl::unexpected(ok.error());
  std::vector<T> out;
  out.reserve(keys.size());
  for (const int64_t key : keys) {
    auto stmt = db.prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, key);
    auto row = repo::first(*stmt, read);
    if (!row) return tl::unexpected(row.error());
    if (*row) out.push_back(std::move(**row));
  }
  return out;
}

}  // namespace

Result<std::vector<LedgerAccount>> SqliteStore::ledger_accounts(const std::vector<int64_t>& ids) {
  static const std::string sql = std::string(kAccountColumns) + " WHERE id = ?";
  return rows_by_key(db_, sql, ids, [this](const Statement& s) { return read_account(db_, s); });
}

Result<std::vector<LedgerTransfer>> SqliteStore::ledger_transfers(const std::vector<int64_t>& ids) {
  static const std::string sql = std::string(kTransferColumns) + " WHERE id = ?";
  return rows_by_key(db_, sql, ids, [this](const Statement& s) { return read_transfer(db_, s); });
}

Result<std::vector<LedgerTransfer>> SqliteStore::ledger_resolutions(const std::vector<int64_t>& pending_ids) {
  static const std::string sql = std::string(kTransferColumns) + " WHERE pending_id = ?";
  return rows_by_key(db_, sql, pending_ids, [this](const Statement& s) { return read_transfer(db_, s); });
}

Result<std::vector<LedgerTransfer>> SqliteStore::ledger_corrections(const std::vector<int64_t>& corrected_ids) {
  // Several rows per key (unlike the lookups above); the partial index
  // ledger_transfer_corrects (migration 14) finds them.
  static const std::string sql = std::string(kTransferColumns) + " WHERE corrects_id = ? ORDER BY seq";
  if (auto ok = check_lookup(corrected_ids.size()); !ok) return tl::unexpected(ok.error());
  std::vector<LedgerTransfer> out;
  for (const int64_t key : corrected_ids) {
    auto stmt = db_.prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, key);
    auto rows = repo::collect(*stmt, [this](const Statement& s) { return read_transfer(db_, s); });
    if (!rows) return tl::unexpected(rows.error());
    for (auto& t : *rows) out.push_back(std::move(t));
  }
  return out;
}

Result<void> SqliteStore::insert_ledger_transfers(const std::vector<LedgerTransfer>& transfers) {
  return atomically<void>([&]() -> Result<void> {
    for (const LedgerTransfer& t : transfers) {
      auto stmt = db_.prepare(
          "INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount_fen, code, flags, pending_id,"
          " corrects_id, cycle_id, source, budget_doc, user_id, timestamp_ms)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, t.id)
          .bind_int(2, t.debit_account_id)
          .bind_int(3, t.credit_account_id)
          .bind_int(4, t.amount_fen)
          .bind_text(5, transfer_code_key(t.code))
          .bind_int(6, static_cast<int64_t>(t.flags));
      repo::bind_opt_int(*stmt, 7, t.pending_id != 0 ? std::optional<int64_t>(t.pending_id) : std::nullopt);
      repo::bind_opt_int(*stmt, 8, t.corrects_id != 0 ? std::optional<int64_t>(t.corrects_id) : std::nullopt);
      repo::bind_opt_int(*stmt, 9, t.cycle_id);
      stmt->bind_text(10, t.source).bind_text(11, t.budget_doc).bind_int(12, t.user_id).bind_int(13, t.timestamp_ms);
      if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
    }
    return {};
  });
}

Result<void> SqliteStore::update_ledger_balances(const std::vector<LedgerAccount>& accounts) {
  return atomically<void>([&]() -> Result<void> {
    for (const LedgerAccount& a : accounts) {
      auto stmt = db_.prepare(
          "UPDATE ledger_account SET debits_pending_fen = ?, debits_posted_fen = ?, credits_pending_fen = ?,"
          " credits_posted_fen = ? WHERE id = ?");
      if (!stmt) return tl::unexpected(stmt.error());
      stmt->bind_int(1, a.debits_pending_fen)
          .bind_int(2, a.debits_posted_fen)
          .bind_int(3, a.credits_pending_fen)
          .bind_int(4, a.credits_posted_fen)
          .bind_int(5, a.id);
      if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
      if (auto ok = require_changed("ledger_account", a.id); !ok) return ok;
    }
    return {};
  });
}

Result<std::vector<LedgerAccount>> SqliteStore::ledger_accounts_after(int64_t after_id, int64_t limit) {
  if (auto ok = repo::check_page(0, limit); !ok) return tl::unexpected(ok.error());
  static const std::string sql = std::string(kAccountColumns) + " WHERE id > ? ORDER BY id LIMIT ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, after_id).bind_int(2, limit);
  return repo::collect(*stmt, [this](const Statement& s) { return read_account(db_, s); });
}

Result<std::vector<LedgerTransfer>> SqliteStore::ledger_transfers_after(int64_t after_seq, int64_t limit) {
  if (auto ok = repo::check_page(0, limit); !ok) return tl::unexpected(ok.error());
  static const std::string sql = std::string(kTransferColumns) + " WHERE seq > ? ORDER BY seq LIMIT ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, after_seq).bind_int(2, limit);
  return repo::collect(*stmt, [this](const Statement& s) { return read_transfer(db_, s); });
}

}  // namespace zizhu::store::sqlite
