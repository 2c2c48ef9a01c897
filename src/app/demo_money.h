// The demo's money in motion (issue 6 item 6; docs/payments.md "In the
// demo"): for last school year's cycle of a county, receipts from several
// sources (central, provincial and local money with their budget documents,
// a named donor) covering both terms, the allocation of each approved
// school's list total, term 1 paid by a direct batch in October 2025 where
// the bank refuses exactly one line (closed account: that student is left
// "to pay", waiting for a corrected card), term 2 paid in March 2026 (the
// same closed card refused again), and the fund-use publication of the cycle. Everything goes through the app
// operations the API calls, with the clock moved by the caller to the day.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/app.h"
#include "core/error.h"
#include "store/records.h"
#include "store/store.h"

namespace zizhu::app {

// Client transfer ids of the demo start here, far above what the tests and
// a visitor type (1, 2, 101, ...), so that they never collide.
inline constexpr int64_t kDemoTransferIdFirst = 1'000'000;
// Transfer ids the demo uses at most per county.
inline constexpr int64_t kDemoTransfersPerCounty = 100;

struct DemoMoneyPlace {
  store::OrgNode county;
  int64_t finance_user_id = 0;   // who prepares the batches (0: the demo itself)
  int64_t approver_user_id = 0;  // the county officer who approves them (another person)
  int64_t cycle_id = 0;          // last school year's cycle, schools' lists approved
  int64_t transfer_id_first = kDemoTransferIdFirst;
  std::string budget_doc_prefix;  // the county's own budget documents, e.g. "七里河财教"
};

struct DemoMoney {
  int64_t batch_term1 = 0, batch_term2 = 0;
  int64_t line_failed = 0, student_failed = 0;
  int64_t publication = 0;
};

// `day(y, m, d)` moves the app's clock to that day (the caller restores it).
Result<DemoMoney> add_demo_money(App& app, store::Store& store, const std::function<void(int, int, int)>& day,
                                 const DemoMoneyPlace& place);

}  // namespace zizhu::app
