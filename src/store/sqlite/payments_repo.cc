// SqliteStore: payment batches, their lines and bank card changes (migration
// 14, docs/payments.md). Raw reads and writes: the rules, and the ledger
// transfers written in the same transaction, are app/payments.cc's; the
// triggers keep a line's content fixed and its status moving forward once.
#include <string>
#include <utility>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

constexpr std::string_view kBatchSelect =
    "SELECT b.id, b.county_id, b.cycle_id, b.term, b.channel, b.batch_no, b.purpose, b.state, b.line_count,"
    " b.total_fen, b.file_sm3, b.file_sha256, b.prepared_by, b.prepared_at_ms, b.approved_by, b.approved_at_ms,"
    " b.closed_at_ms, COALESCE(p.display_name, ''), COALESCE(a.display_name, '')"
    " FROM payment_batch b LEFT JOIN app_user p ON p.id = b.prepared_by LEFT JOIN app_user a ON a.id = b.approved_by";

constexpr std::string_view kLineSelect =
    "SELECT id, batch_id, line_no, cycle_id, term, student_id, school_id, filing_id, level, amount_fen,"
    " card_masked, risk, status, reason, bank_ref, processed_on, settled_by, settled_at_ms FROM payment_line";

Result<PaymentBatchRecord> read_batch(const Statement& s) {
  PaymentBatchRecord b;
  b.id = s.int_at(0);
  b.county_id = s.int_at(1);
  b.cycle_id = s.int_at(2);
  b.term = static_cast<int>(s.int_at(3));
  b.channel = s.text_at(4);
  b.batch_no = s.text_at(5);
  b.purpose = s.text_at(6);
  b.state = s.text_at(7);
  b.line_count = s.int_at(8);
  b.total_fen = s.int_at(9);
  b.file_sm3 = s.text_at(10);
  b.file_sha256 = s.text_at(11);
  b.prepared_by = s.int_at(12);
  b.prepared_at_ms = s.int_at(13);
  b.approved_by = s.opt_int_at(14);
  b.approved_at_ms = s.opt_int_at(15);
  b.closed_at_ms = s.opt_int_at(16);
  b.prepared_by_name = s.text_at(17);
  b.approved_by_name = s.text_at(18);
  return b;
}

Result<PaymentLineRecord> read_line(const Statement& s) {
  PaymentLineRecord l;
  l.id = s.int_at(0);
  l.batch_id = s.int_at(1);
  l.line_no = s.text_at(2);
  l.cycle_id = s.int_at(3);
  l.term = static_cast<int>(s.int_at(4));
  l.student_id = s.int_at(5);
  l.school_id = s.int_at(6);
  l.filing_id = s.int_at(7);
  l.level = static_cast<int>(s.int_at(8));
  l.amount_fen = s.int_at(9);
  l.card_masked = s.text_at(10);
  l.risk = s.text_at(11);
  l.status = s.text_at(12);
  l.reason = s.text_at(13);
  l.bank_ref = s.text_at(14);
  l.processed_on = s.text_at(15);
  l.settled_by = s.opt_int_at(16);
  l.settled_at_ms = s.opt_int_at(17);
  return l;
}

}  // namespace

Result<int64_t> SqliteStore::add_payment_batch(const PaymentBatchRecord& b) {
  auto stmt = db_.prepare(
      "INSERT INTO payment_batch (county_id, cycle_id, term, channel, batch_no, purpose, state, line_count,"
      " total_fen, file_sm3, file_sha256, prepared_by, prepared_at_ms)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, b.county_id).bind_int(2, b.cycle_id).bind_int(3, b.term).bind_text(4, b.channel);
  stmt->bind_text(5, b.batch_no).bind_text(6, b.purpose).bind_text(7, b.state).bind_int(8, b.line_count);
  stmt->bind_int(9, b.total_fen).bind_text(10, b.file_sm3).bind_text(11, b.file_sha256);
  stmt->bind_int(12, b.prepared_by).bind_int(13, b.prepared_at_ms);
  return repo::single_int(*stmt);
}

Result<std::optional<PaymentBatchRecord>> SqliteStore::get_payment_batch(int64_t id) {
  auto stmt = db_.prepare(std::string(kBatchSelect) + " WHERE b.id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return repo::first(*stmt, read_batch);
}

Result<std::vector<PaymentBatchRecord>> SqliteStore::payment_batches(int64_t cycle_id) {
  auto stmt = db_.prepare(std::string(kBatchSelect) + " WHERE b.cycle_id = ? ORDER BY b.id DESC");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  return repo::collect(*stmt, read_batch);
}

Result<void> SqliteStore::update_payment_batch(const PaymentBatchRecord& b) {
  auto stmt = db_.prepare(
      "UPDATE payment_batch SET state = ?, approved_by = ?, approved_at_ms = ?, closed_at_ms = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, b.state);
  repo::bind_opt_int(*stmt, 2, b.approved_by);
  repo::bind_opt_int(*stmt, 3, b.approved_at_ms);
  repo::bind_opt_int(*stmt, 4, b.closed_at_ms);
  stmt->bind_int(5, b.id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  if (changes() != 1) return fail("NOT_FOUND", "付款批次不存在 (payment batch " + std::to_string(b.id) + ")");
  return {};
}

Result<void> SqliteStore::add_payment_lines(std::vector<PaymentLineRecord>& lines) {
  for (auto& l : lines) {
    auto stmt = db_.prepare(
        "INSERT INTO payment_line (batch_id, line_no, cycle_id, term, student_id, school_id, filing_id, level,"
        " amount_fen, card_masked, risk, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, l.batch_id).bind_text(2, l.line_no).bind_int(3, l.cycle_id).bind_int(4, l.term);
    stmt->bind_int(5, l.student_id).bind_int(6, l.school_id).bind_int(7, l.filing_id).bind_int(8, l.level);
    stmt->bind_int(9, l.amount_fen).bind_text(10, l.card_masked).bind_text(11, l.risk).bind_text(12, l.status);
    auto id = repo::single_int(*stmt);
    if (!id) return tl::unexpected(id.error());
    l.id = *id;
  }
  return {};
}

Result<std::vector<PaymentLineRecord>> SqliteStore::payment_lines(int64_t batch_id) {
  auto stmt = db_.prepare(std::string(kLineSelect) + " WHERE batch_id = ? ORDER BY id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, batch_id);
  return repo::collect(*stmt, read_line);
}

Result<std::vector<PaymentLineRecord>> SqliteStore::payment_lines_of_term(int64_t cycle_id, int term) {
  auto stmt = db_.prepare(std::string(kLineSelect) + " WHERE cycle_id = ? AND term = ? ORDER BY id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, term);
  return repo::collect(*stmt, read_line);
}

Result<std::vector<PaymentLineRecord>> SqliteStore::payment_lines_after(int64_t after_id, int64_t limit) {
  auto stmt = db_.prepare(std::string(kLineSelect) + " WHERE id > ? ORDER BY id LIMIT ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, after_id).bind_int(2, limit);
  return repo::collect(*stmt, read_line);
}

Result<void> SqliteStore::update_payment_line(const PaymentLineRecord& l) {
  auto stmt = db_.prepare(
      "UPDATE payment_line SET status = ?, reason = ?, bank_ref = ?, processed_on = ?, settled_by = ?,"
      " settled_at_ms = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, l.status).bind_text(2, l.reason).bind_text(3, l.bank_ref).bind_text(4, l.processed_on);
  repo::bind_opt_int(*stmt, 5, l.settled_by);
  repo::bind_opt_int(*stmt, 6, l.settled_at_ms);
  stmt->bind_int(7, l.id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  if (changes() != 1) return fail("NOT_FOUND", "付款明细不存在 (payment line " + std::to_string(l.id) + ")");
  return {};
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteStore::payment_use_by_source(std::string_view path) {
  const repo::PathRange scope = repo::path_range(path);
  // Pending payment transfers (flag 2) not voided (a void has flag 8 and
  // names the pending transfer); a post keeps the amount in use.
  auto stmt = db_.prepare(
      "SELECT t.source, SUM(t.amount_fen) FROM ledger_transfer t"
      " JOIN ledger_account a ON a.id = t.debit_account_id JOIN org_node n ON n.id = a.org_id"
      " WHERE t.code = 'payment' AND (t.flags & 2) <> 0 AND n.path >= ? AND n.path < ?"
      " AND NOT EXISTS (SELECT 1 FROM ledger_transfer v WHERE v.pending_id = t.id AND (v.flags & 8) <> 0)"
      " GROUP BY t.source ORDER BY t.source");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high);
  return repo::collect(*stmt, [](const Statement& s) -> Result<std::pair<std::string, int64_t>> {
    return std::pair<std::string, int64_t>(s.text_at(0), s.int_at(1));
  });
}

Result<int64_t> SqliteStore::add_bank_card_change(const BankCardChange& c) {
  auto stmt = db_.prepare(
      "INSERT INTO bank_card_change (student_id, changed_at_ms, changed_by, old_masked, new_masked, reason)"
      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, c.student_id).bind_int(2, c.changed_at_ms).bind_int(3, c.changed_by);
  stmt->bind_text(4, c.old_masked).bind_text(5, c.new_masked).bind_text(6, c.reason);
  return repo::single_int(*stmt);
}

Result<std::vector<BankCardChange>> SqliteStore::bank_card_changes_since(const std::vector<int64_t>& student_ids,
                                                                         int64_t since_ms) {
  std::vector<BankCardChange> out;
  for (int64_t student : student_ids) {
    auto stmt = db_.prepare(
        "SELECT id, student_id, changed_at_ms, changed_by, old_masked, new_masked, reason FROM bank_card_change"
        " WHERE student_id = ? AND changed_at_ms >= ? ORDER BY changed_at_ms DESC, id DESC LIMIT 1");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, student).bind_int(2, since_ms);
    auto found = repo::first(*stmt, [](const Statement& s) -> Result<BankCardChange> {
      BankCardChange c;
      c.id = s.int_at(0);
      c.student_id = s.int_at(1);
      c.changed_at_ms = s.int_at(2);
      c.changed_by = s.int_at(3);
      c.old_masked = s.text_at(4);
      c.new_masked = s.text_at(5);
      c.reason = s.text_at(6);
      return c;
    });
    if (!found) return tl::unexpected(found.error());
    if (*found) out.push_back(std::move(**found));
  }
  return out;
}

}  // namespace zizhu::store::sqlite
