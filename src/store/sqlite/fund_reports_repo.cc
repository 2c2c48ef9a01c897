// SqliteStore: the fund-use publication (migration 15) and the aggregate
// reads behind it and the audit report (docs/funds.md "Fund-use publication
// and audit report"). Raw reads and writes: what the figures mean, who may
// see them and what is published is app/fund_reports.cc's.
#include <string>
#include <utility>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

constexpr std::string_view kPublicationSelect =
    "SELECT f.id, f.cycle_id, f.county_id, f.published_at_ms, f.published_by, f.content, f.content_sm3,"
    " n.code, n.name FROM fund_publication f JOIN org_node n ON n.id = f.county_id";

Result<FundPublication> read_publication(const Statement& s) {
  FundPublication f;
  f.id = s.int_at(0);
  f.cycle_id = s.int_at(1);
  f.county_id = s.int_at(2);
  f.published_at_ms = s.int_at(3);
  f.published_by = s.int_at(4);
  f.content = s.text_at(5);
  f.content_sm3 = s.text_at(6);
  f.county_code = s.text_at(7);
  f.county_name = s.text_at(8);
  return f;
}

// Every transfer touching an account of a node under ?1..?2 (path range),
// accepted in [?3, ?4), with what it is about: a post or void takes the
// cycle (and, when it has none of its own, the source) of the pending
// transfer it resolves; a correction the code, cycle, source and account
// kinds of the transfer it corrects. The state says which phase it is.
constexpr std::string_view kEffective =
    "WITH e AS (SELECT t.seq AS seq, t.id AS id, t.code AS code, t.amount_fen AS amount_fen,"
    " t.timestamp_ms AS timestamp_ms, COALESCE(t.pending_id, 0) AS pending_id,"
    " COALESCE(t.corrects_id, 0) AS corrects_id, t.budget_doc AS budget_doc,"
    " COALESCE(o.code, t.code) AS of_code,"
    " CASE WHEN (t.flags & 4) <> 0 THEN 'post' WHEN (t.flags & 8) <> 0 THEN 'void'"
    "  WHEN (t.flags & 2) <> 0 THEN CASE WHEN EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = t.id)"
    "   THEN 'pending_resolved' ELSE 'pending_open' END"
    "  ELSE 'posted' END AS state,"
    " CASE WHEN o.id IS NOT NULL THEN o.source WHEN p.id IS NOT NULL AND t.source = '' THEN p.source"
    "  ELSE t.source END AS source,"
    " COALESCE(oda.kind, da.kind) AS debit_kind, COALESCE(oca.kind, ca.kind) AS credit_kind,"
    " COALESCE(t.cycle_id, o.cycle_id, p.cycle_id) AS cycle_id,"
    " dn.code AS debit_org, da.kind AS own_debit_kind, cn.code AS credit_org, ca.kind AS own_credit_kind"
    " FROM ledger_transfer t"
    " JOIN ledger_account da ON da.id = t.debit_account_id JOIN org_node dn ON dn.id = da.org_id"
    " JOIN ledger_account ca ON ca.id = t.credit_account_id JOIN org_node cn ON cn.id = ca.org_id"
    " LEFT JOIN ledger_transfer p ON p.id = t.pending_id AND (t.flags & 12) <> 0"
    " LEFT JOIN ledger_transfer o ON o.id = t.corrects_id AND t.code = 'correction'"
    " LEFT JOIN ledger_account oda ON oda.id = o.debit_account_id"
    " LEFT JOIN ledger_account oca ON oca.id = o.credit_account_id"
    " WHERE ((dn.path >= ?1 AND dn.path < ?2) OR (cn.path >= ?1 AND cn.path < ?2))"
    " AND t.timestamp_ms >= ?3 AND t.timestamp_ms < ?4) ";

Result<void> check_limit(int64_t limit) {
  if (limit < 1 || limit > static_cast<int64_t>(repo::kListRowsMax)) {
    return fail("BAD_VALUE", "查询上限不正确 (bad limit " + std::to_string(limit) + ")");
  }
  return {};
}

}  // namespace

Result<int64_t> SqliteStore::add_fund_publication(const FundPublication& f) {
  auto stmt = db_.prepare(
      "INSERT INTO fund_publication (cycle_id, county_id, published_at_ms, published_by, content, content_sm3)"
      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, f.cycle_id).bind_int(2, f.county_id).bind_int(3, f.published_at_ms);
  stmt->bind_int(4, f.published_by).bind_text(5, f.content).bind_text(6, f.content_sm3);
  return repo::single_int(*stmt);
}

Result<std::optional<FundPublication>> SqliteStore::get_fund_publication(int64_t id) {
  auto stmt = db_.prepare(std::string(kPublicationSelect) + " WHERE f.id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return repo::first(*stmt, read_publication);
}

Result<std::vector<FundPublication>> SqliteStore::fund_publications(std::string_view path,
                                                                    std::optional<int64_t> cycle_id, int64_t limit) {
  if (auto ok = check_limit(limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(std::string(kPublicationSelect) +
                          " WHERE n.path >= ? AND n.path < ? AND (? IS NULL OR f.cycle_id = ?)"
                          " ORDER BY f.id DESC LIMIT ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high);
  if (cycle_id) {
    stmt->bind_int(3, *cycle_id).bind_int(4, *cycle_id);
  } else {
    stmt->bind_null(3).bind_null(4);
  }
  stmt->bind_int(5, limit);
  return repo::collect(*stmt, read_publication);
}

Result<std::vector<TransferSum>> SqliteStore::fund_transfer_sums(std::string_view path,
                                                                 std::optional<int64_t> cycle_id, int64_t from_ms,
                                                                 int64_t to_ms) {
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(
      std::string(kEffective) +
      "SELECT code, of_code, state, source, debit_kind, credit_kind, cycle_id IS NOT NULL, COUNT(*),"
      " SUM(amount_fen) FROM e WHERE (?5 IS NULL OR cycle_id = ?5 OR cycle_id IS NULL)"
      " GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high).bind_int(3, from_ms).bind_int(4, to_ms);
  if (cycle_id) {
    stmt->bind_int(5, *cycle_id);
  } else {
    stmt->bind_null(5);
  }
  return repo::collect(*stmt, [](const Statement& s) -> Result<TransferSum> {
    TransferSum t;
    t.code = s.text_at(0);
    t.of_code = s.text_at(1);
    t.state = s.text_at(2);
    t.source = s.text_at(3);
    t.debit_kind = s.text_at(4);
    t.credit_kind = s.text_at(5);
    t.has_cycle = s.int_at(6) != 0;
    t.count = s.int_at(7);
    t.amount_fen = s.int_at(8);
    return t;
  });
}

Result<std::vector<AccountMovement>> SqliteStore::fund_account_movements(std::string_view path, int64_t from_ms,
                                                                         int64_t to_ms) {
  const repo::PathRange scope = repo::path_range(path);
  // Posted effect only: single-phase transfers and posts (flags without
  // pending 2 or void 8). One pass over the transfers, both sides.
  auto stmt = db_.prepare(
      "WITH m AS (SELECT debit_account_id AS acc, amount_fen AS d, 0 AS c, timestamp_ms AS ts FROM ledger_transfer"
      "  WHERE (flags & 10) = 0 AND timestamp_ms < ?4"
      " UNION ALL SELECT credit_account_id, 0, amount_fen, timestamp_ms FROM ledger_transfer"
      "  WHERE (flags & 10) = 0 AND timestamp_ms < ?4)"
      " SELECT a.id, a.org_id, n.code, n.name, n.kind, a.kind,"
      " COALESCE(SUM(CASE WHEN m.ts < ?3 THEN m.d END), 0), COALESCE(SUM(CASE WHEN m.ts < ?3 THEN m.c END), 0),"
      " COALESCE(SUM(CASE WHEN m.ts >= ?3 THEN m.d END), 0), COALESCE(SUM(CASE WHEN m.ts >= ?3 THEN m.c END), 0),"
      " a.debits_pending_fen, a.credits_pending_fen"
      " FROM ledger_account a JOIN org_node n ON n.id = a.org_id LEFT JOIN m ON m.acc = a.id"
      " WHERE n.path >= ?1 AND n.path < ?2 GROUP BY a.id ORDER BY a.id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high).bind_int(3, from_ms).bind_int(4, to_ms);
  return repo::collect(*stmt, [](const Statement& s) -> Result<AccountMovement> {
    AccountMovement a;
    a.account_id = s.int_at(0);
    a.org_id = s.int_at(1);
    a.org_code = s.text_at(2);
    a.org_name = s.text_at(3);
    a.org_kind = s.text_at(4);
    a.kind = s.text_at(5);
    a.debits_before_fen = s.int_at(6);
    a.credits_before_fen = s.int_at(7);
    a.debits_in_fen = s.int_at(8);
    a.credits_in_fen = s.int_at(9);
    a.debits_pending_fen = s.int_at(10);
    a.credits_pending_fen = s.int_at(11);
    return a;
  });
}

Result<std::vector<PaidBySchoolLevel>> SqliteStore::paid_by_school_level(int64_t cycle_id) {
  auto stmt = db_.prepare(
      "SELECT l.school_id, s.school_code, s.name, l.level, COUNT(DISTINCT l.student_id), COUNT(*),"
      " SUM(l.amount_fen) FROM payment_line l JOIN school s ON s.org_id = l.school_id"
      " WHERE l.cycle_id = ?1 AND l.status = 'paid' GROUP BY l.school_id, l.level"
      " UNION ALL SELECT l.school_id, s.school_code, s.name, 0, COUNT(DISTINCT l.student_id), COUNT(*),"
      " SUM(l.amount_fen) FROM payment_line l JOIN school s ON s.org_id = l.school_id"
      " WHERE l.cycle_id = ?1 AND l.status = 'paid' GROUP BY l.school_id"
      " ORDER BY 2, 4");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  return repo::collect(*stmt, [](const Statement& s) -> Result<PaidBySchoolLevel> {
    PaidBySchoolLevel p;
    p.school_id = s.int_at(0);
    p.school_code = s.text_at(1);
    p.school_name = s.text_at(2);
    p.level = static_cast<int>(s.int_at(3));
    p.students = s.int_at(4);
    p.lines = s.int_at(5);
    p.amount_fen = s.int_at(6);
    return p;
  });
}

Result<std::vector<AuditPaymentRow>> SqliteStore::audit_payment_rows(int64_t county_id, int64_t from_ms,
                                                                     int64_t to_ms, int64_t limit) {
  if (auto ok = check_limit(limit); !ok) return tl::unexpected(ok.error());
  auto stmt = db_.prepare(
      "SELECT l.id, b.batch_no, l.line_no, b.state, b.channel, l.cycle_id, l.term, s.school_code, s.name,"
      " COALESCE(st.student_no_masked, ''), l.level, l.amount_fen, l.status, l.bank_ref, l.processed_on,"
      " l.filing_id, COALESCE(b.approved_at_ms, 0), COALESCE(l.settled_at_ms, 0)"
      " FROM payment_line l JOIN payment_batch b ON b.id = l.batch_id JOIN school s ON s.org_id = l.school_id"
      " JOIN student st ON st.id = l.student_id"
      " WHERE b.county_id = ?1 AND ((b.approved_at_ms >= ?2 AND b.approved_at_ms < ?3)"
      "  OR (l.settled_at_ms >= ?2 AND l.settled_at_ms < ?3))"
      " ORDER BY b.id, l.id LIMIT ?4");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, county_id).bind_int(2, from_ms).bind_int(3, to_ms).bind_int(4, limit + 1);
  auto rows = repo::collect(
      *stmt,
      [](const Statement& s) -> Result<AuditPaymentRow> {
        AuditPaymentRow r;
        r.line_id = s.int_at(0);
        r.batch_no = s.text_at(1);
        r.line_no = s.text_at(2);
        r.batch_state = s.text_at(3);
        r.channel = s.text_at(4);
        r.cycle_id = s.int_at(5);
        r.term = static_cast<int>(s.int_at(6));
        r.school_code = s.text_at(7);
        r.school_name = s.text_at(8);
        r.student_no_masked = s.text_at(9);
        r.level = static_cast<int>(s.int_at(10));
        r.amount_fen = s.int_at(11);
        r.status = s.text_at(12);
        r.bank_ref = s.text_at(13);
        r.processed_on = s.text_at(14);
        r.filing_id = s.int_at(15);
        r.approved_at_ms = s.int_at(16);
        r.settled_at_ms = s.int_at(17);
        return r;
      },
      static_cast<size_t>(limit) + 1);
  if (!rows) return rows;
  if (static_cast<int64_t>(rows->size()) > limit) {
    return fail("TOO_LARGE", "期间内的付款明细超过 " + std::to_string(limit) + " 条，请缩短期间");
  }
  return rows;
}

Result<std::vector<AuditTransferRow>> SqliteStore::audit_transfer_rows(std::string_view path, int64_t from_ms,
                                                                       int64_t to_ms, int64_t limit) {
  if (auto ok = check_limit(limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(std::string(kEffective) +
                          "SELECT seq, id, code, state, debit_org, own_debit_kind, credit_org, own_credit_kind,"
                          " amount_fen, COALESCE(cycle_id, 0), source, budget_doc, pending_id, corrects_id,"
                          " timestamp_ms FROM e ORDER BY seq LIMIT ?5");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, scope.low).bind_text(2, scope.high).bind_int(3, from_ms).bind_int(4, to_ms);
  stmt->bind_int(5, limit + 1);
  auto rows = repo::collect(
      *stmt,
      [](const Statement& s) -> Result<AuditTransferRow> {
        AuditTransferRow r;
        r.seq = s.int_at(0);
        r.id = s.int_at(1);
        r.code = s.text_at(2);
        r.state = s.text_at(3);
        r.debit_org_code = s.text_at(4);
        r.debit_kind = s.text_at(5);
        r.credit_org_code = s.text_at(6);
        r.credit_kind = s.text_at(7);
        r.amount_fen = s.int_at(8);
        r.cycle_id = s.int_at(9);
        r.source = s.text_at(10);
        r.budget_doc = s.text_at(11);
        r.pending_id = s.int_at(12);
        r.corrects_id = s.int_at(13);
        r.timestamp_ms = s.int_at(14);
        return r;
      },
      static_cast<size_t>(limit) + 1);
  if (!rows) return rows;
  if (static_cast<int64_t>(rows->size()) > limit) {
    return fail("TOO_LARGE", "期间内的转账超过 " + std::to_string(limit) + " 笔，请缩短期间");
  }
  return rows;
}

}  // namespace zizhu::store::sqlite

namespace zizhu::store::sqlite {

namespace {

// The county's side of a receipt is the account it credits (the dedicated
// account); of an allocation, the account it debits. ?1/?2 the path range,
// ?3 the code, ?4 the cycle or NULL.
constexpr std::string_view kFundTransferFrom =
    " FROM ledger_transfer t"
    " JOIN ledger_account da ON da.id = t.debit_account_id JOIN org_node dn ON dn.id = da.org_id"
    " JOIN ledger_account ca ON ca.id = t.credit_account_id JOIN org_node cn ON cn.id = ca.org_id"
    " WHERE t.code = ?3 AND (?4 IS NULL OR t.cycle_id = ?4)"
    " AND CASE WHEN t.code = 'receipt' THEN cn.path ELSE dn.path END >= ?1"
    " AND CASE WHEN t.code = 'receipt' THEN cn.path ELSE dn.path END < ?2";

}  // namespace

Result<FundTransferPage> SqliteStore::fund_transfer_page(std::string_view path, std::string_view code,
                                                         std::optional<int64_t> cycle_id, int64_t offset,
                                                         int64_t limit) {
  if (auto ok = check_limit(limit); !ok) return tl::unexpected(ok.error());
  if (offset < 0) return fail("BAD_VALUE", "查询起点不正确 (bad offset)");
  const repo::PathRange scope = repo::path_range(path);
  auto bind = [&](Statement& s) {
    s.bind_text(1, scope.low).bind_text(2, scope.high).bind_text(3, code);
    if (cycle_id) {
      s.bind_int(4, *cycle_id);
    } else {
      s.bind_null(4);
    }
  };
  FundTransferPage page;
  auto count = db_.prepare("SELECT COUNT(*)" + std::string(kFundTransferFrom));
  if (!count) return tl::unexpected(count.error());
  bind(*count);
  auto total = repo::single_int(*count);
  if (!total) return tl::unexpected(total.error());
  page.total = *total;
  auto stmt = db_.prepare(
      "SELECT t.id, t.code, dn.code, dn.name, da.kind, cn.code, cn.name, ca.kind, t.amount_fen,"
      " (SELECT COALESCE(SUM(c.amount_fen), 0) FROM ledger_transfer c WHERE c.corrects_id = t.id"
      "  AND c.code = 'correction'),"
      " COALESCE(t.cycle_id, 0), t.source, t.budget_doc,"
      " COALESCE((SELECT u.username FROM app_user u WHERE u.id = t.user_id), ''), t.timestamp_ms" +
      std::string(kFundTransferFrom) + " ORDER BY t.seq DESC LIMIT ?5 OFFSET ?6");
  if (!stmt) return tl::unexpected(stmt.error());
  bind(*stmt);
  stmt->bind_int(5, limit).bind_int(6, offset);
  auto rows = repo::collect(*stmt, [](const Statement& s) -> Result<FundTransferRow> {
    FundTransferRow r;
    r.id = s.int_at(0);
    r.code = s.text_at(1);
    r.debit_org_code = s.text_at(2);
    r.debit_org_name = s.text_at(3);
    r.debit_kind = s.text_at(4);
    r.credit_org_code = s.text_at(5);
    r.credit_org_name = s.text_at(6);
    r.credit_kind = s.text_at(7);
    r.amount_fen = s.int_at(8);
    r.corrected_fen = s.int_at(9);
    r.cycle_id = s.int_at(10);
    r.source = s.text_at(11);
    r.budget_doc = s.text_at(12);
    r.username = s.text_at(13);
    r.timestamp_ms = s.int_at(14);
    return r;
  });
  if (!rows) return tl::unexpected(rows.error());
  page.rows = std::move(*rows);
  return page;
}

}  // namespace zizhu::store::sqlite
