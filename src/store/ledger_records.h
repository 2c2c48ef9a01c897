// Records of the double-entry ledger (docs/ledger.md) as the store keeps them.
// Plain data only: the rules that decide which transfers are accepted live in
// one place, funds/ledger.h. Money is whole fen in int64, never floating point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zizhu::store {

// What an account holds money for (funds.md "The ledger").
enum class LedgerAccountKind : uint8_t {
  kSourceCentral,     // 中央财政
  kSourceProvincial,  // 省级财政
  kSourceLocal,       // 市县财政
  kSourceDonor,       // a named donor
  kSourceSchool,      // 学校自筹
  kDedicated,         // the county's dedicated account (专户)
  kSchoolAllocation,  // a school's allocation
  kPayable,           // payable to students
  kPaidOut,           // paid out
  kReturned,          // returned
};
inline constexpr size_t kLedgerAccountKinds = 10;
std::string_view ledger_account_kind_key(LedgerAccountKind kind);  // "source_central", ...
std::optional<LedgerAccountKind> parse_ledger_account_kind(std::string_view key);

// Why money moved.
enum class TransferCode : uint8_t { kReceipt, kAllocation, kCommitment, kPayment, kReturn, kCorrection };
inline constexpr size_t kTransferCodes = 6;
std::string_view transfer_code_key(TransferCode code);  // "receipt", ...
std::optional<TransferCode> parse_transfer_code(std::string_view key);

// Transfer flags (TigerBeetle's): bits of LedgerTransfer::flags.
namespace transfer_flags {
inline constexpr uint32_t kLinked = 1u << 0;       // succeeds or fails with the next transfer
inline constexpr uint32_t kPending = 1u << 1;      // reserves; posted or voided later
inline constexpr uint32_t kPostPending = 1u << 2;  // posts (all or part of) pending_id
inline constexpr uint32_t kVoidPending = 1u << 3;  // releases pending_id
inline constexpr uint32_t kAll = kLinked | kPending | kPostPending | kVoidPending;
}  // namespace transfer_flags

struct LedgerAccount {
  int64_t id = 0;      // chosen by the caller, > 0
  int64_t org_id = 0;  // the organisation node the account belongs to
  LedgerAccountKind kind = LedgerAccountKind::kDedicated;
  bool no_overdraft = false;  // debits (pending + posted) may not exceed posted credits
  int64_t debits_pending_fen = 0;
  int64_t debits_posted_fen = 0;
  int64_t credits_pending_fen = 0;
  int64_t credits_posted_fen = 0;
  int64_t created_at_ms = 0;

  bool operator==(const LedgerAccount&) const = default;
};

struct LedgerTransfer {
  int64_t id = 0;  // chosen by the caller, > 0, unique forever: a retry reuses it
  int64_t debit_account_id = 0;
  int64_t credit_account_id = 0;
  int64_t amount_fen = 0;
  TransferCode code = TransferCode::kReceipt;
  uint32_t flags = 0;               // transfer_flags
  int64_t pending_id = 0;           // the pending transfer a post/void resolves; 0 otherwise
  int64_t corrects_id = 0;          // the posted transfer a correction undoes; 0 otherwise
  std::optional<int64_t> cycle_id;  // the aid cycle, when the money belongs to one
  std::string source;               // where the money comes from (a donor's name, a fiscal source)
  std::string budget_doc;           // 预算文件号, when there is one
  int64_t user_id = 0;              // who made it (0: the system)
  int64_t timestamp_ms = 0;         // set by the ledger when it is accepted
  int64_t seq = 0;                  // the order in which the store received it (set by the store)

  bool operator==(const LedgerTransfer&) const = default;
};

}  // namespace zizhu::store
