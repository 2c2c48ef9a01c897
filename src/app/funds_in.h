// Money into the aid (funds.md "The ledger", issue 6 item 2): receipts per
// source into the county's dedicated account (专户) with the budget document
// number, allocations from it to the schools, and the commitment of an
// approved school list (a pending transfer from the school's allocation to
// what is payable to its students, posted as payments are made). Every move
// goes through the ledger's rules (funds/ledger.h) in the same transaction as
// its audit record.
//
// Accounts are made on first use, one per organisation node and kind, with
// ids derived from both (fund_account_id), so that no table of names is
// needed. Donors share the county's donor account; the donor's name is on
// each receipt (`source`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/paging.h"
#include "core/error.h"
#include "core/fen.h"
#include "store/ledger_records.h"
#include "store/store.h"

namespace zizhu::app {

// Transfer ids the caller chooses (for safe retries) are below this; the
// ones the system derives (a filing's commitment) lie above.
inline constexpr int64_t kClientTransferIdMax = (int64_t{1} << 40) - 1;

enum class FundSource : uint8_t { kCentral, kProvincial, kLocal, kDonor, kSchool };
inline constexpr size_t kFundSources = 5;
std::optional<FundSource> parse_fund_source(std::string_view key);  // central, provincial, local, donor, school
std::string_view fund_source_key(FundSource source);                // the same keys
std::string_view fund_source_label(FundSource source);              // 中央财政, ...
store::LedgerAccountKind fund_source_account_kind(FundSource source);

int64_t fund_account_id(int64_t org_id, store::LedgerAccountKind kind);

// A filing's commitment (pending) and the post of it; both derived from the
// filing id (docs/payments.md).
int64_t commitment_transfer_id(int64_t filing_id);
int64_t commitment_post_transfer_id(int64_t filing_id);

// The accounts, made when missing (inside the caller's write transaction).
Result<void> ensure_fund_accounts(App& app, store::Store& store,
                                  std::initializer_list<std::pair<int64_t, store::LedgerAccountKind>> wanted);

// The transfers that commit the school's newest approved list of the cycle
// when it is not committed yet (a later list commits only what it adds to the
// earlier commitments; nothing when it adds nothing), then, when `post`, the
// posts of every commitment of the school's lists still pending. For a
// batch's approval; the caller applies them in its transaction.
Result<std::vector<store::LedgerTransfer>> commitment_transfers(store::Store& store, int64_t cycle_id,
                                                                int64_t school_id, bool post);

struct FundAccountView {
  int64_t id = 0;
  std::string org_code, org_name;
  std::string kind, kind_label;
  // Yuan strings: posted and pending, each side; `balance` is credits minus
  // debits posted (what the account holds; a source account shows what it
  // provided as a negative).
  std::string debits_posted, credits_posted, debits_pending, credits_pending, balance;
};

struct FundTransferView {
  int64_t id = 0;
  std::string result;  // "ok", or "exists" for a retry of the same transfer
  std::string code;
  std::string amount;
  int64_t debit_account_id = 0, credit_account_id = 0;
  bool pending = false;
};

// The accounts of the actor's county and its schools (a county or above
// names the county; a school sees its own).
Result<std::vector<FundAccountView>> fund_accounts(App& app, store::Store& store, const Actor& actor,
                                                   const std::optional<std::string>& county_code);

// Finance at a county: money received from a source into the dedicated
// account. A donor's receipt names the donor.
Result<FundTransferView> record_receipt(App& app, store::Store& store, const Actor& actor, int64_t transfer_id,
                                        FundSource source, std::string_view source_name, Fen amount,
                                        std::string_view budget_doc, std::optional<int64_t> cycle_id);
// Finance at a county: undoes (part of) a receipt recorded by mistake — a
// correcting transfer from the dedicated account back to the source, naming
// the receipt (funds.md: "a mistake is undone by a correcting transfer that
// names the one it corrects"). Never more than the receipt less its earlier
// corrections (the ledger's rule), and never below what that source has
// paid or has at the bank (RULE): no source pays more than it provided.
Result<FundTransferView> correct_receipt(App& app, store::Store& store, const Actor& actor, int64_t transfer_id,
                                         int64_t receipt_id, Fen amount, std::string_view reason);

// Finance at a county: from the dedicated account to a school's allocation.
Result<FundTransferView> allocate_to_school(App& app, store::Store& store, const Actor& actor, int64_t transfer_id,
                                            std::string_view school_code, Fen amount, std::optional<int64_t> cycle_id);
// Finance at a county: the approved list's total reserved from the school's
// allocation (pending, payable to its students). Once per filing: the
// transfer id is the filing's, so a second call answers "exists".
Result<FundTransferView> commit_filing(App& app, store::Store& store, const Actor& actor, int64_t filing_id);

// One receipt or allocation as finance lists them. Yuan strings.
struct FundTransferItem {
  int64_t id = 0;
  std::string source, source_label;  // receipts: central, ... and 中央财政, ...
  std::string source_name;           // receipts: the donor's or the fiscal source's name
  std::string budget_doc;
  std::string school_code, school_name;  // allocations
  std::string amount;
  std::string corrected;  // receipts: what corrections took back ("0.00" when none)
  std::optional<int64_t> cycle_id;
  std::string booked_by;  // username
  int64_t booked_at_ms = 0;
};

// Finance (funds.read): the receipts into, and the allocations from, the
// dedicated accounts of the actor's organisation and below, newest first,
// of one cycle when given (the cycle must be one the actor may see).
Result<Page<FundTransferItem>> list_receipts(App& app, store::Store& store, const Actor& actor,
                                             std::optional<int64_t> cycle_id, const PageRequest& page);
Result<Page<FundTransferItem>> list_allocations(App& app, store::Store& store, const Actor& actor,
                                                std::optional<int64_t> cycle_id, const PageRequest& page);

}  // namespace zizhu::app
