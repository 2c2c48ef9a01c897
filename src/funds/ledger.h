// The double-entry ledger's rules, in one place (funds.md "The ledger",
// docs/ledger.md): which transfers are accepted and what they do to the
// balances. No I/O: funds/ledger_service.h loads the accounts and transfers a
// batch touches from the store into a Ledger, applies the batch here, and
// writes the outcome back in the same transaction.
//
// The semantics follow TigerBeetle's transfers: caller-chosen ids and
// idempotent retries, linked chains that succeed or fail together, pending
// transfers that reserve money and are posted (in whole or part) or voided
// once, and accounts that may forbid their debits to exceed their credits.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "store/ledger_records.h"

namespace zizhu::funds {

using store::LedgerAccount;
using store::LedgerAccountKind;
using store::LedgerTransfer;
using store::TransferCode;
namespace transfer_flags = store::transfer_flags;

// TigerBeetle's batch bound: a batch fits one message and one transaction.
inline constexpr size_t kBatchTransfersMax = 8190;

// The outcome of one transfer of a batch. The keys (transfer_result_key) are
// stable: clients and logs rely on them. The validation order is fixed (the
// order of the checks in ledger.cc, documented in docs/ledger.md), so one
// transfer always gets the same answer.
enum class TransferResult : uint8_t {
  kOk,
  kExists,  // same id, same content: nothing done (a safe retry)
  kLinkedEventFailed,
  kLinkedEventChainOpen,
  kIdMustBePositive,
  kFlagsUnknown,
  kFlagsAreMutuallyExclusive,
  kExistsWithDifferentFlags,
  kExistsWithDifferentDebitAccountId,
  kExistsWithDifferentCreditAccountId,
  kExistsWithDifferentAmountFen,
  kExistsWithDifferentPendingId,
  kExistsWithDifferentCorrectsId,
  kExistsWithDifferentCode,
  kExistsWithDifferentCycleId,
  kExistsWithDifferentSource,
  kExistsWithDifferentBudgetDoc,
  kExistsWithDifferentUserId,
  kAmountMustBePositive,
  kPendingIdMustBeZero,
  kPendingIdRequired,
  kPendingIdMustBeDifferent,
  kCorrectsIdMustBeZero,
  kCorrectsIdRequired,
  kCorrectsIdMustBeDifferent,
  kCorrectionMustBePlain,
  kAccountsMustBeDifferent,
  kDebitAccountNotFound,
  kCreditAccountNotFound,
  kPendingTransferNotFound,
  kPendingTransferNotPending,
  kPendingTransferAlreadyPosted,
  kPendingTransferAlreadyVoided,
  kPendingTransferHasDifferentDebitAccountId,
  kPendingTransferHasDifferentCreditAccountId,
  kExceedsPendingTransferAmount,
  kVoidAmountMustEqualPendingAmount,
  kCorrectedTransferNotFound,
  kCorrectedTransferNotPosted,
  kCorrectionMustReverseAccounts,
  kExceedsCorrectedAmount,
  kOverflowsDebits,
  kOverflowsCredits,
  kExceedsCredits,
};
inline constexpr size_t kTransferResults = 44;

// "ok", "exists", "exists_with_different_amount_fen", ...
std::string_view transfer_result_key(TransferResult result);
// A short Chinese explanation for people.
std::string_view transfer_result_label(TransferResult result);
// True for the results after which the transfer is in the ledger.
inline bool transfer_accepted(TransferResult r) { return r == TransferResult::kOk || r == TransferResult::kExists; }

// What one batch did: a result per transfer (same order), the transfers
// accepted now (in order, timestamp set), and the accounts whose balances
// changed (their new state).
struct AppliedBatch {
  std::vector<TransferResult> results;
  std::vector<LedgerTransfer> created;
  std::vector<LedgerAccount> changed_accounts;
};

// The part of the ledger a batch can see: the accounts it names, the
// transfers it names (its own ids, the pending and corrected ones), and which
// pending transfers are resolved already. For the persisted path these are
// loaded from the store; tests may hold the whole ledger here.
class Ledger {
 public:
  // Adds an account as stored (balances included). False when the id is taken.
  bool add_account(const LedgerAccount& account);
  // Adds a transfer as stored; a post/void also marks its pending transfer
  // resolved. The caller loads transfers in the order they were accepted.
  void add_transfer(const LedgerTransfer& transfer);

  // Applies a batch in order. BAD_VALUE when it is empty or larger than
  // kBatchTransfersMax (nothing applied). Transfers later in a batch see the
  // ones accepted before them.
  Result<AppliedBatch> apply(std::span<const LedgerTransfer> batch, int64_t now_ms);

  const LedgerAccount* account(int64_t id) const;
  const LedgerTransfer* transfer(int64_t id) const;
  // The id of the post/void that resolved `pending_id`, if any.
  std::optional<int64_t> resolution(int64_t pending_id) const;
  // What the corrections of transfer `id` known here have undone of it.
  // The persisted path loads every correction of the transfers a batch
  // corrects (store::Store::ledger_corrections).
  int64_t corrected_fen(int64_t id) const;
  const std::unordered_map<int64_t, LedgerAccount>& accounts() const { return accounts_; }

 private:
  struct Undo;
  TransferResult check(const LedgerTransfer& t) const;
  TransferResult compare_existing(const LedgerTransfer& t, const LedgerTransfer& e) const;
  void execute(const LedgerTransfer& t, Undo& undo);

  std::unordered_map<int64_t, LedgerAccount> accounts_;
  std::unordered_map<int64_t, LedgerTransfer> transfers_;
  std::unordered_map<int64_t, int64_t> resolutions_;  // pending id -> id of its post/void
  std::unordered_map<int64_t, int64_t> corrected_fen_;  // corrected id -> fen its corrections undid
};

}  // namespace zizhu::funds
