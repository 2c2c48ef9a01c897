#include "funds/ledger.h"

#include <array>
#include <string>
#include <unordered_set>
#include <utility>

#include "funds/assert.h"

namespace zizhu::funds {

namespace {

struct ResultText {
  std::string_view key;
  std::string_view label;
};

// In TransferResult order.
constexpr std::array<ResultText, kTransferResults> kResultTexts = {{
    {"ok", "已入账"},
    {"exists", "已存在（同一编号、同一内容，未重复入账）"},
    {"linked_event_failed", "同一组关联转账中另有一笔失败"},
    {"linked_event_chain_open", "关联转账组没有结束（最后一笔带有关联标志）"},
    {"id_must_be_positive", "转账编号必须为正整数"},
    {"flags_unknown", "转账标志不认识"},
    {"flags_are_mutually_exclusive", "预留、入账预留、撤销预留只能选其一"},
    {"exists_with_different_flags", "该编号已存在，标志不同"},
    {"exists_with_different_debit_account_id", "该编号已存在，借方账户不同"},
    {"exists_with_different_credit_account_id", "该编号已存在，贷方账户不同"},
    {"exists_with_different_amount_fen", "该编号已存在，金额不同"},
    {"exists_with_different_pending_id", "该编号已存在，所结预留不同"},
    {"exists_with_different_corrects_id", "该编号已存在，所更正的转账不同"},
    {"exists_with_different_code", "该编号已存在，用途代码不同"},
    {"exists_with_different_cycle_id", "该编号已存在，资助周期不同"},
    {"exists_with_different_source", "该编号已存在，资金来源不同"},
    {"exists_with_different_budget_doc", "该编号已存在，预算文件号不同"},
    {"exists_with_different_user_id", "该编号已存在，操作人不同"},
    {"amount_must_be_positive", "金额必须大于零"},
    {"pending_id_must_be_zero", "只有入账或撤销预留时才能指定预留转账"},
    {"pending_id_required", "入账或撤销预留时必须指定预留转账"},
    {"pending_id_must_be_different", "不能以自身为预留转账"},
    {"corrects_id_must_be_zero", "只有更正转账才能指定被更正的转账"},
    {"corrects_id_required", "更正转账必须指定被更正的转账"},
    {"corrects_id_must_be_different", "不能更正自身"},
    {"correction_must_be_plain", "更正转账必须直接入账，不能预留"},
    {"accounts_must_be_different", "借方与贷方不能是同一账户"},
    {"debit_account_not_found", "借方账户不存在"},
    {"credit_account_not_found", "贷方账户不存在"},
    {"pending_transfer_not_found", "所指预留转账不存在"},
    {"pending_transfer_not_pending", "所指转账不是预留转账"},
    {"pending_transfer_already_posted", "该预留已入账"},
    {"pending_transfer_already_voided", "该预留已撤销"},
    {"pending_transfer_has_different_debit_account_id", "与预留转账的借方账户不同"},
    {"pending_transfer_has_different_credit_account_id", "与预留转账的贷方账户不同"},
    {"exceeds_pending_transfer_amount", "入账金额超过预留金额"},
    {"void_amount_must_equal_pending_amount", "撤销金额必须等于预留金额"},
    {"corrected_transfer_not_found", "被更正的转账不存在"},
    {"corrected_transfer_not_posted", "被更正的转账不是已入账的转账"},
    {"correction_must_reverse_accounts", "更正转账必须与原转账借贷相反"},
    {"exceeds_corrected_amount", "更正金额超过原转账金额"},
    {"overflows_debits", "借方金额溢出"},
    {"overflows_credits", "贷方金额溢出"},
    {"exceeds_credits", "余额不足：该账户不允许透支"},
}};

constexpr uint32_t kPendingKinds =
    transfer_flags::kPending | transfer_flags::kPostPending | transfer_flags::kVoidPending;

bool is_post_or_void(const LedgerTransfer& t) {
  return (t.flags & (transfer_flags::kPostPending | transfer_flags::kVoidPending)) != 0;
}

// a + b + c without leaving int64 (all non-negative here).
bool sum_fits(int64_t a, int64_t b, int64_t c) {
  int64_t s = 0;
  return !__builtin_add_overflow(a, b, &s) && !__builtin_add_overflow(s, c, &s);
}

__extension__ typedef __int128 Wide;  // a GCC/Clang extension: -Wpedantic is told so

// Sums in 128 bits: many accounts near the int64 bound must not wrap the check.
struct WideTotals {
  Wide debits_pending = 0, debits_posted = 0, credits_pending = 0, credits_posted = 0;
  void add(const LedgerAccount& a) {
    debits_pending += a.debits_pending_fen;
    debits_posted += a.debits_posted_fen;
    credits_pending += a.credits_pending_fen;
    credits_posted += a.credits_posted_fen;
  }
};

// What must hold of every account after any batch.
void assert_account(const LedgerAccount& a) {
  ZIZHU_LEDGER_ASSERT(a.debits_pending_fen >= 0);
  ZIZHU_LEDGER_ASSERT(a.debits_posted_fen >= 0);
  ZIZHU_LEDGER_ASSERT(a.credits_pending_fen >= 0);
  ZIZHU_LEDGER_ASSERT(a.credits_posted_fen >= 0);
  if (a.no_overdraft) {
    ZIZHU_LEDGER_ASSERT(static_cast<Wide>(a.debits_pending_fen) + a.debits_posted_fen <= a.credits_posted_fen);
  }
}

}  // namespace

std::string_view transfer_result_key(TransferResult result) {
  return kResultTexts[static_cast<size_t>(result)].key;
}

std::string_view transfer_result_label(TransferResult result) {
  return kResultTexts[static_cast<size_t>(result)].label;
}

// Everything a chain changed, to put back when one of its members fails.
struct Ledger::Undo {
  std::vector<LedgerAccount> accounts_before;  // in the order changed; restored in reverse
  std::vector<int64_t> transfers_added;
  std::vector<int64_t> pendings_resolved;
  std::vector<std::pair<int64_t, int64_t>> corrections;  // (corrected id, fen) added
};

bool Ledger::add_account(const LedgerAccount& account) { return accounts_.emplace(account.id, account).second; }

void Ledger::add_transfer(const LedgerTransfer& transfer) {
  const bool fresh = transfers_.insert_or_assign(transfer.id, transfer).second;
  if (is_post_or_void(transfer) && transfer.pending_id != 0) resolutions_[transfer.pending_id] = transfer.id;
  if (fresh && transfer.corrects_id != 0) corrected_fen_[transfer.corrects_id] += transfer.amount_fen;
}

int64_t Ledger::corrected_fen(int64_t id) const {
  auto it = corrected_fen_.find(id);
  return it == corrected_fen_.end() ? 0 : it->second;
}

const LedgerAccount* Ledger::account(int64_t id) const {
  auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : &it->second;
}

const LedgerTransfer* Ledger::transfer(int64_t id) const {
  auto it = transfers_.find(id);
  return it == transfers_.end() ? nullptr : &it->second;
}

std::optional<int64_t> Ledger::resolution(int64_t pending_id) const {
  auto it = resolutions_.find(pending_id);
  if (it == resolutions_.end()) return std::nullopt;
  return it->second;
}

// Same id: "exists" when every field the caller chose is the same, else the
// first field that differs, in this fixed order. The timestamp and seq are the
// ledger's, not the caller's, and are not compared.
TransferResult Ledger::compare_existing(const LedgerTransfer& t, const LedgerTransfer& e) const {
  if (t.flags != e.flags) return TransferResult::kExistsWithDifferentFlags;
  if (t.debit_account_id != e.debit_account_id) return TransferResult::kExistsWithDifferentDebitAccountId;
  if (t.credit_account_id != e.credit_account_id) return TransferResult::kExistsWithDifferentCreditAccountId;
  if (t.amount_fen != e.amount_fen) return TransferResult::kExistsWithDifferentAmountFen;
  if (t.pending_id != e.pending_id) return TransferResult::kExistsWithDifferentPendingId;
  if (t.corrects_id != e.corrects_id) return TransferResult::kExistsWithDifferentCorrectsId;
  if (t.code != e.code) return TransferResult::kExistsWithDifferentCode;
  if (t.cycle_id != e.cycle_id) return TransferResult::kExistsWithDifferentCycleId;
  if (t.source != e.source) return TransferResult::kExistsWithDifferentSource;
  if (t.budget_doc != e.budget_doc) return TransferResult::kExistsWithDifferentBudgetDoc;
  if (t.user_id != e.user_id) return TransferResult::kExistsWithDifferentUserId;
  return TransferResult::kExists;
}

// The rules, in the order docs/ledger.md lists them. Reads only.
TransferResult Ledger::check(const LedgerTransfer& t) const {
  if (t.id <= 0) return TransferResult::kIdMustBePositive;
  if ((t.flags & ~transfer_flags::kAll) != 0) return TransferResult::kFlagsUnknown;
  if (__builtin_popcount(t.flags & kPendingKinds) > 1) return TransferResult::kFlagsAreMutuallyExclusive;
  // A retry is recognised before anything else is judged, so it answers the
  // same whatever has happened to the accounts since.
  if (const LedgerTransfer* e = transfer(t.id)) return compare_existing(t, *e);

  if (t.amount_fen <= 0) return TransferResult::kAmountMustBePositive;
  const bool resolves = is_post_or_void(t);
  if (!resolves && t.pending_id != 0) return TransferResult::kPendingIdMustBeZero;
  if (resolves && t.pending_id == 0) return TransferResult::kPendingIdRequired;
  if (resolves && t.pending_id == t.id) return TransferResult::kPendingIdMustBeDifferent;
  const bool correction = t.code == TransferCode::kCorrection;
  if (!correction && t.corrects_id != 0) return TransferResult::kCorrectsIdMustBeZero;
  if (correction && t.corrects_id == 0) return TransferResult::kCorrectsIdRequired;
  if (correction && t.corrects_id == t.id) return TransferResult::kCorrectsIdMustBeDifferent;
  if (correction && (t.flags & kPendingKinds) != 0) return TransferResult::kCorrectionMustBePlain;
  if (t.debit_account_id == t.credit_account_id) return TransferResult::kAccountsMustBeDifferent;
  const LedgerAccount* dr = account(t.debit_account_id);
  if (dr == nullptr) return TransferResult::kDebitAccountNotFound;
  const LedgerAccount* cr = account(t.credit_account_id);
  if (cr == nullptr) return TransferResult::kCreditAccountNotFound;

  if (resolves) {
    const LedgerTransfer* p = transfer(t.pending_id);
    if (p == nullptr) return TransferResult::kPendingTransferNotFound;
    if ((p->flags & transfer_flags::kPending) == 0) return TransferResult::kPendingTransferNotPending;
    if (auto done = resolution(p->id)) {
      const LedgerTransfer* r = transfer(*done);
      ZIZHU_LEDGER_ASSERT(r != nullptr);
      return (r->flags & transfer_flags::kPostPending) != 0 ? TransferResult::kPendingTransferAlreadyPosted
                                                             : TransferResult::kPendingTransferAlreadyVoided;
    }
    if (p->debit_account_id != t.debit_account_id) return TransferResult::kPendingTransferHasDifferentDebitAccountId;
    if (p->credit_account_id != t.credit_account_id) {
      return TransferResult::kPendingTransferHasDifferentCreditAccountId;
    }
    if ((t.flags & transfer_flags::kPostPending) != 0 && t.amount_fen > p->amount_fen) {
      return TransferResult::kExceedsPendingTransferAmount;
    }
    if ((t.flags & transfer_flags::kVoidPending) != 0 && t.amount_fen != p->amount_fen) {
      return TransferResult::kVoidAmountMustEqualPendingAmount;
    }
    // Posting moves at most the reserved amount from pending to posted and
    // voiding only releases: neither can overflow nor overdraw.
    return TransferResult::kOk;
  }

  if (correction) {
    const LedgerTransfer* c = transfer(t.corrects_id);
    if (c == nullptr) return TransferResult::kCorrectedTransferNotFound;
    // Posted money: a plain transfer or the post of a pending one. A pending
    // reservation is undone by voiding it, never by a correction.
    if ((c->flags & (transfer_flags::kPending | transfer_flags::kVoidPending)) != 0) {
      return TransferResult::kCorrectedTransferNotPosted;
    }
    if (c->debit_account_id != t.credit_account_id || c->credit_account_id != t.debit_account_id) {
      return TransferResult::kCorrectionMustReverseAccounts;
    }
    // Corrections of one transfer together never undo more than it moved.
    if (t.amount_fen > c->amount_fen - corrected_fen(t.corrects_id)) return TransferResult::kExceedsCorrectedAmount;
  }

  if (!sum_fits(dr->debits_pending_fen, dr->debits_posted_fen, t.amount_fen)) return TransferResult::kOverflowsDebits;
  if (!sum_fits(cr->credits_pending_fen, cr->credits_posted_fen, t.amount_fen)) {
    return TransferResult::kOverflowsCredits;
  }
  // Pending debits count: a reservation must be payable when it is posted.
  if (dr->no_overdraft && dr->debits_pending_fen + dr->debits_posted_fen + t.amount_fen > dr->credits_posted_fen) {
    return TransferResult::kExceedsCredits;
  }
  return TransferResult::kOk;
}

// Applies an accepted transfer (check() said kOk), noting what to undo.
void Ledger::execute(const LedgerTransfer& t, Undo& undo) {
  LedgerAccount& dr = accounts_.at(t.debit_account_id);
  LedgerAccount& cr = accounts_.at(t.credit_account_id);
  undo.accounts_before.push_back(dr);
  undo.accounts_before.push_back(cr);
  if ((t.flags & transfer_flags::kPending) != 0) {
    dr.debits_pending_fen += t.amount_fen;
    cr.credits_pending_fen += t.amount_fen;
  } else if (is_post_or_void(t)) {
    const LedgerTransfer& p = transfers_.at(t.pending_id);
    ZIZHU_LEDGER_ASSERT(dr.debits_pending_fen >= p.amount_fen && cr.credits_pending_fen >= p.amount_fen);
    dr.debits_pending_fen -= p.amount_fen;
    cr.credits_pending_fen -= p.amount_fen;
    if ((t.flags & transfer_flags::kPostPending) != 0) {
      // The part not posted is released with the rest of the reservation.
      dr.debits_posted_fen += t.amount_fen;
      cr.credits_posted_fen += t.amount_fen;
    }
    resolutions_[t.pending_id] = t.id;
    undo.pendings_resolved.push_back(t.pending_id);
  } else {
    dr.debits_posted_fen += t.amount_fen;
    cr.credits_posted_fen += t.amount_fen;
  }
  if (t.corrects_id != 0) {
    corrected_fen_[t.corrects_id] += t.amount_fen;
    undo.corrections.emplace_back(t.corrects_id, t.amount_fen);
  }
  transfers_.emplace(t.id, t);
  undo.transfers_added.push_back(t.id);
}

Result<AppliedBatch> Ledger::apply(std::span<const LedgerTransfer> batch, int64_t now_ms) {
  if (batch.empty()) return fail("BAD_VALUE", "转账批次为空 (empty batch)");
  if (batch.size() > kBatchTransfersMax) {
    return fail("BAD_VALUE", "一批最多 " + std::to_string(kBatchTransfersMax) + " 笔转账 (batch too large): " +
                                 std::to_string(batch.size()));
  }
  AppliedBatch out;
  out.results.assign(batch.size(), TransferResult::kOk);

  // The accounts as they were, to report what changed and to check that the
  // batch kept debits equal to credits.
  std::unordered_map<int64_t, LedgerAccount> before;
  WideTotals totals_before;
  for (const LedgerTransfer& t : batch) {
    for (const int64_t id : {t.debit_account_id, t.credit_account_id}) {
      auto it = accounts_.find(id);
      if (it != accounts_.end() && before.emplace(id, it->second).second) totals_before.add(it->second);
    }
  }

  size_t i = 0;
  while (i < batch.size()) {  // bounded: i grows by at least one each round
    // The chain: from i to the first transfer without the linked flag.
    size_t end = i;
    while (end + 1 < batch.size() && (batch[end].flags & transfer_flags::kLinked) != 0) ++end;
    const bool open = (batch[end].flags & transfer_flags::kLinked) != 0;

    Undo undo;
    std::vector<LedgerTransfer> accepted;
    std::optional<size_t> failed;
    for (size_t k = i; k <= end; ++k) {
      TransferResult r = check(batch[k]);
      if (r == TransferResult::kOk && open && k == end) r = TransferResult::kLinkedEventChainOpen;
      out.results[k] = r;
      if (r == TransferResult::kOk) {
        LedgerTransfer t = batch[k];
        t.timestamp_ms = now_ms;
        t.seq = 0;
        execute(t, undo);
        accepted.push_back(std::move(t));
      } else if (r != TransferResult::kExists) {
        failed = k;
        break;
      }
    }
    if (!failed && open) failed = end;  // every member passed, but the chain never closed
    if (failed) {
      // All or nothing: put back what the chain changed, newest first.
      for (auto it = undo.accounts_before.rbegin(); it != undo.accounts_before.rend(); ++it) {
        accounts_.insert_or_assign(it->id, *it);
      }
      for (const int64_t id : undo.transfers_added) transfers_.erase(id);
      for (const int64_t id : undo.pendings_resolved) resolutions_.erase(id);
      for (const auto& [id, fen] : undo.corrections) corrected_fen_[id] -= fen;
      for (size_t k = i; k <= end; ++k) {
        if (k != *failed) out.results[k] = TransferResult::kLinkedEventFailed;
      }
      if (open && out.results[*failed] == TransferResult::kExists) {
        out.results[*failed] = TransferResult::kLinkedEventChainOpen;
      }
    } else {
      for (LedgerTransfer& t : accepted) out.created.push_back(std::move(t));
    }
    i = end + 1;
  }

  // What must never happen: a negative balance, an overdrawn account that
  // forbids it, or a batch after which debits and credits differ.
  WideTotals totals_after;
  for (const auto& [id, old] : before) {
    const LedgerAccount& now = accounts_.at(id);
    assert_account(now);
    totals_after.add(now);
    if (!(now == old)) out.changed_accounts.push_back(now);
  }
  ZIZHU_LEDGER_ASSERT(totals_after.debits_pending - totals_before.debits_pending ==
                      totals_after.credits_pending - totals_before.credits_pending);
  ZIZHU_LEDGER_ASSERT(totals_after.debits_posted - totals_before.debits_posted ==
                      totals_after.credits_posted - totals_before.credits_posted);
  return out;
}

}  // namespace zizhu::funds
