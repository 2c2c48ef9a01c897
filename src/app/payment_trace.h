// From a payment back to why it was made (funds.md "Publishing and audit":
// "the auditor can check any payment back to the filed list and the decision
// that created it"): the payment line, its batch and who prepared and
// approved it, the filed list it pays from (and its SM3), the student's
// entry in that frozen list, the decision or list change the entry comes
// from, and every ledger transfer of the line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/payments.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

struct TraceTransfer {
  int64_t id = 0;
  std::string code, kind;  // kind: pending, post, void, posted (single phase)
  std::string amount, source;
  int64_t timestamp_ms = 0;
};

struct PaymentTrace {
  PaymentLineView line;
  std::string batch_no, batch_state, prepared_by, approved_by;
  std::optional<int64_t> approved_at_ms;
  // The filed list.
  int64_t filing_id = 0;
  int filing_round = 0;
  std::string filing_state, filing_sm3;
  std::optional<int64_t> filing_decided_at_ms;
  // The student's entry in it, for the line's term.
  std::optional<int> entry_level;
  std::string entry_amount;   // the term's amount in the list (yuan)
  std::string entry_basis;    // "decision" or "list_change"
  // Where the entry comes from.
  std::optional<int> basis_level;
  std::string basis_amount;   // annual (yuan)
  std::string basis_votes, basis_reason, basis_cause;
  std::optional<int> basis_suggested_level;
  std::optional<int64_t> basis_change_id;
  int64_t basis_decided_at_ms = 0;
  std::vector<TraceTransfer> transfers;
};

// funds.read at the line's county (NOT_FOUND elsewhere).
Result<PaymentTrace> trace_payment(App& app, store::Store& store, const Actor& actor, int64_t line_id);

}  // namespace zizhu::app
