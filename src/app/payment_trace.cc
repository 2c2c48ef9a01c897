#include "app/payment_trace.h"

#include <algorithm>

#include "app/errors.h"
#include "app/funds_in.h"
#include "app/list_snapshot.h"
#include "funds/payment_ids.h"

namespace zizhu::app {

namespace {

std::string yuan(int64_t fen) { return format_yuan(Fen::from_fen(fen)); }

std::string kind_of(const store::LedgerTransfer& t) {
  namespace f = store::transfer_flags;
  if ((t.flags & f::kPending) != 0) return "pending";
  if ((t.flags & f::kPostPending) != 0) return "post";
  if ((t.flags & f::kVoidPending) != 0) return "void";
  return "posted";
}

}  // namespace

Result<PaymentTrace> trace_payment(App& app, store::Store& store, const Actor& actor, int64_t line_id) {
  auto found = payment_line_by_id(store, line_id);
  if (!found) return tl::unexpected(found.error());
  const store::PaymentLineRecord& line = *found;
  // The batch view checks the actor's reach (its cycle's county).
  auto batch = get_batch(app, store, actor, line.batch_id);
  if (!batch) return field_error("NOT_FOUND", "付款明细不存在", "line_id");
  PaymentTrace t;
  for (auto& l : batch->lines) {
    if (l.id == line_id) t.line = l;
  }
  t.batch_no = batch->batch_no;
  t.batch_state = batch->state;
  t.prepared_by = batch->prepared_by;
  t.approved_by = batch->approved_by;
  t.approved_at_ms = batch->approved_at_ms;

  auto filing = store.get_filing(line.filing_id);
  if (!filing) return tl::unexpected(filing.error());
  if (!*filing) return fail("DB_CORRUPT", "付款明细指向不存在的备案 " + std::to_string(line.filing_id));
  t.filing_id = (*filing)->id;
  t.filing_round = (*filing)->round;
  t.filing_state = (*filing)->state;
  t.filing_sm3 = (*filing)->snapshot_sm3;
  t.filing_decided_at_ms = (*filing)->decided_at_ms;
  auto entries = read_list_snapshot((*filing)->snapshot, (*filing)->id);
  if (!entries) return tl::unexpected(entries.error());
  const SnapshotEntry* entry = nullptr;
  for (const auto& e : *entries) {
    if (e.student_id == line.student_id) entry = &e;
  }
  if (entry == nullptr) {
    return fail("DB_CORRUPT", "付款明细的学生不在其备案名单中 (filing " + std::to_string(line.filing_id) + ")");
  }
  const SnapshotTerm& term = entry->terms[line.term - 1];
  t.entry_level = term.level;
  t.entry_amount = yuan(term.amount_fen);
  if (entry->source == "d") {
    t.entry_basis = "decision";
    auto d = store.decision(line.cycle_id, line.student_id);
    if (!d) return tl::unexpected(d.error());
    if (!*d) return fail("DB_CORRUPT", "名单条目来自评审决定，但决定不存在");
    t.basis_level = (*d)->level;
    t.basis_amount = format_yuan((*d)->amount);
    t.basis_votes = (*d)->votes;
    t.basis_reason = (*d)->reason;
    t.basis_suggested_level = (*d)->suggested_level;
    t.basis_decided_at_ms = (*d)->decided_at_ms;
  } else if (entry->source.size() > 1 && entry->source[0] == 'c') {
    t.entry_basis = "list_change";
    const int64_t change_id = std::stoll(entry->source.substr(1));
    auto changes = store.list_changes(line.cycle_id, line.school_id);
    if (!changes) return tl::unexpected(changes.error());
    auto c = std::find_if(changes->begin(), changes->end(), [&](const auto& x) { return x.id == change_id; });
    if (c == changes->end()) return fail("DB_CORRUPT", "名单条目来自名单变更 " + entry->source + "，但变更不存在");
    t.basis_change_id = c->id;
    t.basis_level = c->level;
    t.basis_amount = format_yuan(c->amount);
    t.basis_votes = c->votes;
    t.basis_reason = c->reason;
    t.basis_cause = c->cause;
    t.basis_decided_at_ms = c->made_at_ms;
  } else {
    return fail("DB_CORRUPT", "名单条目的来源无法识别: " + entry->source);
  }

  std::vector<int64_t> ids;
  for (int s = 0; s < funds::kPaymentSharesMax; ++s) {
    ids.push_back(funds::payment_share_id(line.id, s));
    ids.push_back(funds::payment_settle_id(funds::payment_share_id(line.id, s)));
  }
  ids.push_back(funds::line_return_id(line.id));
  auto transfers = store.ledger_transfers(ids);
  if (!transfers) return tl::unexpected(transfers.error());
  std::sort(transfers->begin(), transfers->end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  for (const auto& x : *transfers) {
    t.transfers.push_back({x.id, std::string(store::transfer_code_key(x.code)), kind_of(x), yuan(x.amount_fen),
                           x.source, x.timestamp_ms});
  }
  return t;
}

}  // namespace zizhu::app
