// `zizhu ledger check`: replays every transfer in the order the store
// received it, recomputes every account's balances, and checks the ledger's
// invariants (docs/ledger.md). Independent of funds/ledger.cc's bookkeeping on
// purpose: it reads only what is stored and does its own arithmetic, so a bug
// in the rules or a hand edit of the database shows up here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace zizhu::funds {

// The invariants, by stable key (English) with a Chinese name.
enum class LedgerInvariant : uint8_t {
  kDebitsEqualCredits,         // totals over all accounts, pending and posted
  kBalanceMatchesTransfers,    // each stored balance equals the replayed one
  kBalanceNotNegative,         // no balance below zero
  kNoOverdraft,                // a no-overdraft account's debits never exceed its posted credits
  kTransferWellFormed,         // amount > 0, known accounts, two different accounts, known flags
  kPendingResolvedOnce,        // a post/void names an earlier pending transfer, once, within its amount
  kCorrectionNamesTransfer,    // a correction names an earlier posted transfer
  // Paying (docs/payments.md), over the payment lines and their transfers:
  kPaymentConfirmed,  // every posted payment is a paid line with the bank's (or school's) confirmation, and
                      // every paid line's shares are posted in full: no payment lost, none without its proof
  kPaidOnce,          // no student has two lines prepared/at the bank/paid/returned for a term of a cycle
  kSourceCeiling,     // per county and source kind, payments (at the bank or posted) never above what it provided
};
inline constexpr size_t kLedgerInvariants = 10;
std::string_view ledger_invariant_key(LedgerInvariant invariant);    // "debits_equal_credits", ...
std::string_view ledger_invariant_label(LedgerInvariant invariant);  // "借贷总额相等", ...

struct LedgerProblem {
  LedgerInvariant invariant;
  std::string detail;  // which account or transfer, and the numbers
};

struct LedgerCheckReport {
  int64_t accounts = 0;
  int64_t transfers = 0;
  int64_t pending_open = 0;          // pending transfers not yet posted or voided
  std::vector<LedgerProblem> problems;  // at most kProblemsListedMax
  int64_t problems_total = 0;           // including those not listed
  bool ok() const { return problems_total == 0; }
};

inline constexpr size_t kProblemsListedMax = 1000;

// Reads the whole ledger in one read snapshot (begin_read), in pages.
// Memory: every account, and per transfer its id, flags and accounts.
Result<LedgerCheckReport> check_ledger(store::Store& store);

}  // namespace zizhu::funds
