#include "app/demo_money.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "app/demo_cycle.h"
#include "app/fund_reports.h"
#include "app/funds_in.h"
#include "app/payables.h"
#include "app/payments.h"

namespace zizhu::app {

namespace {

Actor with_role(Actor a, Role role) {
  a.roles = RoleSet();
  a.roles.add(role);
  return a;
}

// The bank's answer to every line at the bank: paid, except the student
// whose account is closed (refused).
std::string bank_return(const PaymentBatchView& batch, int64_t refused_student, std::string_view processed_on,
                        std::string_view ref_prefix) {
  std::string csv = "明细流水号,状态,失败原因,银行流水号,处理日期\r\n";
  for (const auto& l : batch.lines) {
    if (l.status != "pending") continue;
    if (l.student_id == refused_student) {
      csv += l.line_no + ",失败,账户已销户,," + std::string(processed_on) + "\r\n";
    } else {
      const std::string n = std::to_string(l.id);
      csv += l.line_no + ",成功,," + std::string(ref_prefix) + std::string(n.size() < 6 ? 6 - n.size() : 0, '0') + n +
             "," + std::string(processed_on) + "\r\n";
    }
  }
  return csv;
}

// A direct batch of the term: prepared by finance, approved by the county
// officer on the file's digest, the file handed to the bank, the bank's
// answer imported. The batch as settled.
Result<PaymentBatchView> pay_term(App& app, store::Store& store, const std::function<void(int, int, int)>& day,
                                  const Actor& finance, const Actor& approver, int64_t cycle_id, int term,
                                  const int (&dates)[3][3], std::string_view processed_on,
                                  std::optional<int64_t>& refused_student) {
  day(dates[0][0], dates[0][1], dates[0][2]);
  auto batch = prepare_batch(app, store, finance, cycle_id, term, "direct");
  if (!batch) return tl::unexpected(batch.error());
  day(dates[1][0], dates[1][1], dates[1][2]);
  auto approved = approve_batch(app, store, approver, batch->id, batch->file_sm3);
  if (!approved) return tl::unexpected(approved.error());
  if (auto file = batch_file(app, store, finance, batch->id, "csv"); !file) return tl::unexpected(file.error());
  if (approved->lines.size() < 2) return fail("DEMO", "演示付款批次不足两行");
  // The bank refuses the last line of the first batch (the account was
  // closed); the card is not corrected, so it is refused again later.
  if (!refused_student) refused_student = approved->lines.back().student_id;
  day(dates[2][0], dates[2][1], dates[2][2]);
  std::string ref = "ZH";  // the bank's own reference: its date and a serial
  for (char c : processed_on) {
    if (c != '-') ref += c;
  }
  auto report = import_bank_return(app, store, finance, batch->id, "回盘.csv",
                                   bank_return(*approved, *refused_student, processed_on, ref));
  if (!report) return tl::unexpected(report.error());
  if (report->batch.state != "SETTLED" || report->matched_failure != 1 || report->problems.size() != 0) {
    return fail("DEMO", "演示银行回盘未能结清批次");
  }
  return get_batch(app, store, finance, batch->id);
}

}  // namespace

Result<DemoMoney> add_demo_money(App& app, store::Store& store, const std::function<void(int, int, int)>& day,
                                 const DemoMoneyPlace& place) {
  const Actor finance = with_role(actor_at(place.county, place.finance_user_id, "demo"), Role::kFinance);
  const Actor approver = with_role(actor_at(place.county, place.approver_user_id, "demo"), Role::kCountyOfficer);
  const int64_t cycle = place.cycle_id;
  int64_t next_id = place.transfer_id_first;

  // What the approved lists pay over the year, per school.
  std::map<std::string, int64_t> per_school;
  int64_t total = 0;
  for (int term = 1; term <= 2; ++term) {
    auto p = term_payables(app, store, finance, cycle, term);
    if (!p) return tl::unexpected(p.error());
    for (const auto& l : p->lines) per_school[l.school_code] += l.amount_fen;
    total += p->total_fen;
  }
  if (total <= 0 || per_school.empty()) return fail("DEMO", "演示上学年没有已备案的资助名单");

  // Receipts covering the year: half central, a quarter provincial, a donor's
  // gift in whole hundreds of yuan, the rest from the county's own budget.
  const int64_t central = total / 2;
  const int64_t provincial = total / 4;
  const int64_t donor = std::max<int64_t>(10'000, total / 20 / 10'000 * 10'000);
  const int64_t local = total - central - provincial - donor;
  if (local <= 0) return fail("DEMO", "演示资助名单金额过小");
  struct Receipt {
    int m, d;
    FundSource source;
    std::string_view name;
    int64_t fen;
    std::string doc;
  };
  const Receipt receipts[] = {
      {10, 22, FundSource::kCentral, "", central, "财教〔2025〕56号"},
      {10, 22, FundSource::kProvincial, "", provincial, "甘财教〔2025〕88号"},
      {10, 23, FundSource::kLocal, "", local, place.budget_doc_prefix + "〔2025〕12号"},
      {10, 23, FundSource::kDonor, "兰州市慈善总会", donor, ""},
  };
  for (const Receipt& r : receipts) {
    day(2025, r.m, r.d);
    auto ok = record_receipt(app, store, finance, next_id++, r.source, r.name, Fen::from_fen(r.fen), r.doc, cycle);
    if (!ok) return tl::unexpected(ok.error());
  }
  for (const auto& [school, fen] : per_school) {
    auto ok = allocate_to_school(app, store, finance, next_id++, school, Fen::from_fen(fen), cycle);
    if (!ok) return tl::unexpected(ok.error());
  }
  if (next_id - place.transfer_id_first > kDemoTransfersPerCounty) return fail("DEMO", "演示转账编号超出范围");

  DemoMoney out;
  std::optional<int64_t> refused;
  // Term 1 in October 2025 (after the lists were approved on the 21st).
  const int term1_dates[3][3] = {{2025, 10, 24}, {2025, 10, 27}, {2025, 10, 29}};
  auto first = pay_term(app, store, day, finance, approver, cycle, 1, term1_dates, "2025-10-29", refused);
  if (!first) return tl::unexpected(first.error());
  out.batch_term1 = first->id;
  for (const auto& l : first->lines) {
    if (l.status == "failed") out.line_failed = l.id;
  }
  if (out.line_failed == 0) return fail("DEMO", "演示批次没有失败的付款");
  out.student_failed = *refused;
  // Term 2 in March 2026: the card was not corrected, so the bank refuses
  // that student again; everyone else is paid.
  const int term2_dates[3][3] = {{2026, 3, 9}, {2026, 3, 10}, {2026, 3, 12}};
  auto second = pay_term(app, store, day, finance, approver, cycle, 2, term2_dates, "2026-03-12", refused);
  if (!second) return tl::unexpected(second.error());
  out.batch_term2 = second->id;

  day(2026, 3, 20);
  auto published = publish_fund_use(app, store, finance, cycle);
  if (!published) return tl::unexpected(published.error());
  out.publication = published->id;
  return out;
}

}  // namespace zizhu::app
