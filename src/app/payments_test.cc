// Paying a term at the app level on the demo county (docs/payments.md):
// maker-checker, the file's digest, sources, the bank's return with a
// failure, the card fixed and the student paid in a later batch, the
// through-school channel, the remainder's return, and the ledger check after
// each of them.
#include "app/payments.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "app/demo_test_util.h"
#include "app/funds_in.h"
#include "app/payment_trace.h"
#include "app/payables.h"
#include "app/store_pool.h"
#include "funds/ledger_service.h"
#include "app/students.h"
#include "funds/bank_files.h"
#include "funds/ledger_check.h"

namespace zizhu::app {
namespace {

class Payments : public testing::DemoCounty {
 protected:
  void SetUp() override {
    DemoCounty::SetUp();
    if (HasFatalFailure()) return;
    auto lease = app_->store();
    ASSERT_TRUE(lease) << lease.error().describe();
    lease_.emplace(std::move(*lease));
  }
  void TearDown() override {
    lease_.reset();
    DemoCounty::TearDown();
  }
  store::Store& st() { return **lease_; }
  Actor as(const std::string& code, const std::string& key, Role role) {
    Actor a = actor_at(st(), code, key);
    a.roles = RoleSet();
    a.roles.add(role);
    return a;
  }
  Actor finance() { return as(demo_.county_code, "finance", Role::kFinance); }
  Actor officer() { return as(demo_.county_code, "county_officer", Role::kCountyOfficer); }
  Actor school() { return as(demo_.objects.school_own, "school_officer", Role::kSchoolOfficer); }
  int64_t cycle() const { return demo_.objects.cycle_past_own; }

  // What the past year's approved list pays over both terms.
  int64_t year_total_fen() {
    int64_t total = 0;
    for (int term = 1; term <= 2; ++term) {
      auto p = term_payables(*app_, st(), finance(), cycle(), term);
      EXPECT_TRUE(p) << p.error().describe();
      total += p->total_fen;
    }
    return total;
  }

  // Receipts from two sources (central: `central_fen`, local: the rest of
  // `total_fen`) and the whole of it allocated to the demo's own school.
  void fund(int64_t central_fen, int64_t total_fen) {
    store::Store& s = st();
    auto r1 = record_receipt(*app_, s, finance(), 1, FundSource::kCentral, "", Fen::from_fen(central_fen),
                             "财教〔2025〕1号", cycle());
    ASSERT_TRUE(r1) << r1.error().describe();
    if (total_fen > central_fen) {
      auto r2 = record_receipt(*app_, s, finance(), 2, FundSource::kLocal, "", Fen::from_fen(total_fen - central_fen),
                               "县财〔2025〕9号", cycle());
      ASSERT_TRUE(r2) << r2.error().describe();
    }
    auto a = allocate_to_school(*app_, s, finance(), 3, demo_.objects.school_own, Fen::from_fen(total_fen), cycle());
    ASSERT_TRUE(a) << a.error().describe();
  }

  void expect_ledger_ok() {
    auto report = funds::check_ledger(st());
    ASSERT_TRUE(report) << report.error().describe();
    for (const auto& p : report->problems) ADD_FAILURE() << funds::ledger_invariant_key(p.invariant) << ": " << p.detail;
    EXPECT_TRUE(report->ok());
  }

  // A return file answering every pending line of `batch`: the first
  // `failed` lines refused (closed account), the rest paid.
  static std::string return_csv(const PaymentBatchView& batch, size_t failed) {
    std::string csv = "明细流水号,状态,失败原因,银行流水号,处理日期\r\n";
    size_t i = 0;
    for (const auto& l : batch.lines) {
      if (l.status != "pending") continue;
      if (i++ < failed) {
        csv += l.line_no + ",失败,账户已销户,,2025-10-20\r\n";
      } else {
        csv += l.line_no + ",成功,,B" + std::to_string(l.id) + ",2025-10-20\r\n";
      }
    }
    return csv;
  }

  store::LedgerAccount account(int64_t org_id, store::LedgerAccountKind kind) {
    auto found = st().ledger_accounts({fund_account_id(org_id, kind)});
    EXPECT_TRUE(found && found->size() == 1);
    return found->front();
  }
  int64_t school_org() {
    auto s = st().find_school(demo_.objects.school_own);
    return (*s)->org_id;
  }

  std::optional<StorePool::Lease> lease_;
};

TEST_F(Payments, DirectBatchWithAFailureFixedAndPaidInTheNextBatch) {
  store::Store& s = st();
  const int64_t total = year_total_fen();
  ASSERT_GT(total, 0);
  // Central money covers a part only: lines cross from one source to the next.
  fund(total / 3, total);

  auto batch = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_TRUE(batch) << batch.error().describe();
  EXPECT_EQ(batch->state, "PREPARED");
  ASSERT_GT(batch->line_count, 1);
  ASSERT_EQ(batch->file_sm3.size(), 64u);
  for (const auto& l : batch->lines) {
    EXPECT_EQ(l.card_masked.find_first_of("0123456789"), l.card_masked.find_first_of("0123456789"));
    EXPECT_NE(l.card_masked.find('*'), std::string::npos) << l.card_masked;  // masked, never the card
  }
  // Nobody is in two live batches for a term.
  auto twice = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "RULE");

  // Maker-checker: not the one who prepared it; the digest the approver saw.
  auto self = approve_batch(*app_, s, finance(), batch->id, batch->file_sm3);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, "FORBIDDEN");
  auto wrong = approve_batch(*app_, s, officer(), batch->id, std::string(64, '0'));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().where.column, "file_sm3");
  auto no_file = batch_file(*app_, s, finance(), batch->id, "csv");
  ASSERT_FALSE(no_file);
  EXPECT_EQ(no_file.error().code, "STATE_CONFLICT");

  auto approved = approve_batch(*app_, s, officer(), batch->id, batch->file_sm3);
  ASSERT_TRUE(approved) << approved.error().describe();
  EXPECT_EQ(approved->state, "APPROVED");
  EXPECT_EQ(approved->status_counts[1], approved->line_count);  // all at the bank
  expect_ledger_ok();
  // The payable holds the year; the term's lines are reserved from it.
  const auto payable = account(school_org(), store::LedgerAccountKind::kPayable);
  EXPECT_EQ(payable.credits_posted_fen, total);
  EXPECT_EQ(payable.debits_pending_fen, parse_yuan(approved->total)->value());

  // The file handed to the bank is the one approved, byte for byte.
  auto file = batch_file(*app_, s, finance(), batch->id, "csv");
  ASSERT_TRUE(file) << file.error().describe();
  EXPECT_EQ(funds::sm3_hex(file->bytes), batch->file_sm3);
  auto xlsx = batch_file(*app_, s, finance(), batch->id, "xlsx");
  ASSERT_TRUE(xlsx) << xlsx.error().describe();
  EXPECT_EQ(xlsx->bytes.substr(0, 2), "PK");

  // The bank pays all but one (closed account).
  const std::string answer = return_csv(*approved, 1);
  auto imported = import_bank_return(*app_, s, finance(), batch->id, "回盘.csv", answer);
  ASSERT_TRUE(imported) << imported.error().describe();
  EXPECT_EQ(imported->matched_failure, 1);
  EXPECT_EQ(imported->matched_success, approved->line_count - 1);
  EXPECT_EQ(imported->batch.state, "SETTLED");
  expect_ledger_ok();
  const auto paid_out = account(school_org(), store::LedgerAccountKind::kPaidOut);

  // The same file again changes nothing.
  auto again = import_bank_return(*app_, s, finance(), batch->id, "回盘.csv", answer);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->already_settled, approved->line_count);
  EXPECT_EQ(again->matched_success + again->matched_failure, 0);
  EXPECT_EQ(account(school_org(), store::LedgerAccountKind::kPaidOut), paid_out);
  // Unknown lines and amounts that differ are reported and change nothing.
  auto odd = import_bank_return(*app_, s, finance(), batch->id, "odd.csv",
                                "明细流水号,状态,失败原因,银行流水号,处理日期,金额\r\n"
                                "NO-SUCH-LINE,成功,,X1,2025-10-20,1.00\r\n");
  ASSERT_TRUE(odd) << odd.error().describe();
  EXPECT_EQ(odd->unknown_line, 1);
  ASSERT_EQ(odd->problems.size(), 1u);
  EXPECT_EQ(account(school_org(), store::LedgerAccountKind::kPaidOut), paid_out);

  // The failed student is "to pay" again: the card is fixed, a new batch
  // holds that student alone, with the failure and the card change shown.
  auto detail = get_batch(*app_, s, finance(), batch->id);
  ASSERT_TRUE(detail);
  const PaymentLineView* failed = nullptr;
  for (const auto& l : detail->lines) {
    if (l.status == "failed") failed = &l;
  }
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->reason, "账户已销户");
  auto fixed = change_bank_card(*app_, s, school(), failed->student_id, "6222020200199990001", "监护人更换银行卡");
  ASSERT_TRUE(fixed) << fixed.error().describe();

  auto second = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_TRUE(second) << second.error().describe();
  ASSERT_EQ(second->line_count, 1);
  EXPECT_EQ(second->lines[0].student_id, failed->student_id);
  EXPECT_NE(second->lines[0].risk.find("上次付款失败"), std::string::npos) << second->lines[0].risk;
  EXPECT_NE(second->lines[0].risk.find("银行卡于"), std::string::npos) << second->lines[0].risk;
  EXPECT_EQ(second->risks, 1);
  auto ok2 = approve_batch(*app_, s, officer(), second->id, second->file_sm3);
  ASSERT_TRUE(ok2) << ok2.error().describe();
  auto paid2 = import_bank_return(*app_, s, finance(), second->id, "回盘2.csv", return_csv(*ok2, 0));
  ASSERT_TRUE(paid2) << paid2.error().describe();
  EXPECT_EQ(paid2->matched_success, 1);
  expect_ledger_ok();

  // The payment traces back to the filed list and the decision behind it;
  // the failed one shows its void.
  auto traced = trace_payment(*app_, s, officer(), ok2->lines[0].id);
  ASSERT_TRUE(traced) << traced.error().describe();
  EXPECT_EQ(traced->filing_id, ok2->lines[0].filing_id);
  EXPECT_EQ(traced->entry_amount, ok2->lines[0].amount);
  EXPECT_EQ(traced->entry_basis, "decision");
  EXPECT_FALSE(traced->basis_votes.empty());
  ASSERT_EQ(traced->transfers.size(), 2u);
  EXPECT_EQ(traced->transfers[0].kind, "pending");
  EXPECT_EQ(traced->transfers[1].kind, "post");
  auto traced_failed = trace_payment(*app_, s, officer(), failed->id);
  ASSERT_TRUE(traced_failed) << traced_failed.error().describe();
  EXPECT_EQ(traced_failed->transfers.back().kind, "void");
  auto elsewhere = trace_payment(*app_, s, as(demo_.other_county_code, "county_officer@other", Role::kCountyOfficer),
                                 failed->id);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, "NOT_FOUND");

  // Everyone of the term is paid: nothing left for a batch.
  auto none = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "RULE");
}

TEST_F(Payments, ACardChangedAfterPreparationStopsTheApproval) {
  store::Store& s = st();
  fund(year_total_fen(), year_total_fen());
  auto batch = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_TRUE(batch) << batch.error().describe();
  auto changed = change_bank_card(*app_, s, school(), batch->lines[0].student_id, "6222020200188880002", "换卡");
  ASSERT_TRUE(changed) << changed.error().describe();
  auto refused = approve_batch(*app_, s, officer(), batch->id, batch->file_sm3);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "STATE_CONFLICT");
  // Cancelled and prepared again, the change is shown to the approver.
  ASSERT_TRUE(cancel_batch(*app_, s, finance(), batch->id, "银行卡变更，重新制单"));
  auto again = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->line_count, batch->line_count);
  EXPECT_EQ(again->risks, 1);
  EXPECT_NE(again->file_sm3, batch->file_sm3);
  ASSERT_TRUE(approve_batch(*app_, s, officer(), again->id, again->file_sm3));
  expect_ledger_ok();
}

// The students a direct batch leaves out stay visible after preparation: the
// detail reads them live (same selection as prepare), so entering the card
// turns "no card" into "not in any batch", and a later batch holding the
// student takes them off every batch's detail — until that batch is
// cancelled and they are owed again.
TEST_F(Payments, TheDetailListsWhoTheTermStillOwesLive) {
  store::Store& s = st();
  auto payables = term_payables(*app_, s, finance(), cycle(), 1);
  ASSERT_TRUE(payables) << payables.error().describe();
  // Two funded students of the own school (its officer enters cards) made
  // unpayable by a direct batch: one has no card, the other no guardian's name.
  std::vector<int64_t> own;
  for (const auto& p : payables->lines) {
    if (p.school_code == demo_.objects.school_own) own.push_back(p.student_id);
  }
  ASSERT_GE(own.size(), 3u);
  const int64_t no_card = own[0];
  const int64_t no_guardian = own[1];
  for (int64_t id : {no_card, no_guardian}) {
    auto found = s.get_student(id);
    ASSERT_TRUE(found && *found);
    store::StudentInput data = (*found)->data;
    if (id == no_card) {
      data.bank_card.reset();
      data.guardian_name = "汪建国";  // the card alone is missing
    }
    if (id == no_guardian) {
      data.guardian_name.clear();
      data.bank_card = store::SensitiveText("6222020200166660004");
    }
    ASSERT_TRUE(s.upsert_student(data));
  }
  auto listed = [](const PaymentBatchView& v, int64_t student) -> const ExcludedStudent* {
    for (const auto& e : v.excluded) {
      if (e.student_id == student) return &e;
    }
    return nullptr;
  };

  auto batch = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_TRUE(batch) << batch.error().describe();
  ASSERT_TRUE(batch->excluded_as_of_ms.has_value());
  ASSERT_NE(listed(*batch, no_card), nullptr);
  EXPECT_EQ(listed(*batch, no_card)->reason_code, "no_card");
  ASSERT_NE(listed(*batch, no_guardian), nullptr);
  EXPECT_EQ(listed(*batch, no_guardian)->reason_code, "no_guardian_name");

  // The detail, read later, lists exactly what prepare left out.
  auto detail = get_batch(*app_, s, officer(), batch->id);
  ASSERT_TRUE(detail) << detail.error().describe();
  ASSERT_TRUE(detail->excluded_as_of_ms.has_value());
  EXPECT_GE(*detail->excluded_as_of_ms, batch->prepared_at_ms);
  ASSERT_EQ(detail->excluded.size(), batch->excluded.size());
  for (size_t i = 0; i < detail->excluded.size(); ++i) {
    const ExcludedStudent& d = detail->excluded[i];
    const ExcludedStudent& p = batch->excluded[i];
    EXPECT_EQ(d.student_id, p.student_id);
    EXPECT_EQ(d.reason_code, p.reason_code);
    EXPECT_EQ(d.reason, p.reason);
    EXPECT_EQ(d.amount, p.amount);
    EXPECT_FALSE(d.school_name.empty());
    // Masked: the listing's form, never the 学籍号 itself.
    auto full = s.get_student(d.student_id);
    ASSERT_TRUE(full && *full);
    EXPECT_NE(d.student_no_masked, (*full)->data.student_no.plain());
    EXPECT_NE(d.student_no_masked.find('*'), std::string::npos) << d.student_no_masked;
  }
  // The list and the other steps do not compute it, and say so.
  auto all = list_batches(*app_, s, finance(), cycle());
  ASSERT_TRUE(all && all->size() == 1);
  EXPECT_TRUE(all->front().excluded.empty());
  EXPECT_FALSE(all->front().excluded_as_of_ms.has_value());

  // The card is entered: still owed, in no batch — listed, now as payable.
  ASSERT_TRUE(change_bank_card(*app_, s, school(), no_card, "6222020200177770003", "学校补录监护人银行卡"));
  detail = get_batch(*app_, s, finance(), batch->id);
  ASSERT_TRUE(detail) << detail.error().describe();
  ASSERT_NE(listed(*detail, no_card), nullptr);
  EXPECT_EQ(listed(*detail, no_card)->reason_code, "not_in_batch");
  ASSERT_NE(listed(*detail, no_guardian), nullptr);

  // A later batch holds them: they leave the old batch's detail.
  auto next = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_TRUE(next) << next.error().describe();
  bool held = false;
  for (const auto& l : next->lines) held = held || l.student_id == no_card;
  EXPECT_TRUE(held);
  detail = get_batch(*app_, s, finance(), batch->id);
  ASSERT_TRUE(detail) << detail.error().describe();
  EXPECT_EQ(listed(*detail, no_card), nullptr);
  EXPECT_NE(listed(*detail, no_guardian), nullptr);

  // That batch cancelled, the student is owed again and listed again.
  ASSERT_TRUE(cancel_batch(*app_, s, finance(), next->id, "重新核对后再制单"));
  detail = get_batch(*app_, s, finance(), batch->id);
  ASSERT_TRUE(detail) << detail.error().describe();
  ASSERT_NE(listed(*detail, no_card), nullptr);
  EXPECT_EQ(listed(*detail, no_card)->reason_code, "not_in_batch");

  // Through the school no card or guardian's name is needed: a school batch
  // holds both, and nobody of the term is left to list.
  auto via_school = prepare_batch(*app_, s, finance(), cycle(), 1, "school");
  ASSERT_TRUE(via_school) << via_school.error().describe();
  EXPECT_TRUE(via_school->excluded.empty());
  detail = get_batch(*app_, s, finance(), batch->id);
  ASSERT_TRUE(detail) << detail.error().describe();
  EXPECT_TRUE(detail->excluded.empty());
  auto school_detail = get_batch(*app_, s, finance(), via_school->id);
  ASSERT_TRUE(school_detail) << school_detail.error().describe();
  EXPECT_TRUE(school_detail->excluded.empty());
  EXPECT_TRUE(school_detail->excluded_as_of_ms.has_value());
}

TEST_F(Payments, NoSourcePaysMoreThanItProvided) {
  store::Store& s = st();
  const int64_t total = year_total_fen();
  // Allocated in full, but only part of it has arrived from its sources:
  // the approval is refused, nothing is reserved.
  auto r = record_receipt(*app_, s, finance(), 1, FundSource::kCentral, "", Fen::from_fen(total), "财教〔2025〕1号",
                          cycle());
  ASSERT_TRUE(r);
  ASSERT_TRUE(allocate_to_school(*app_, s, finance(), 3, demo_.objects.school_own, Fen::from_fen(total), cycle()));
  auto batch = prepare_batch(*app_, s, finance(), cycle(), 1, "direct");
  ASSERT_TRUE(batch) << batch.error().describe();
  ASSERT_TRUE(approve_batch(*app_, s, officer(), batch->id, batch->file_sm3));
  // The central source is spent on term 1 pending payments plus committed money;
  // a correction taking most of the receipt back leaves term 2 short.
  store::LedgerTransfer back;
  back.id = 10;
  back.debit_account_id = fund_account_id(finance().org_id, store::LedgerAccountKind::kDedicated);
  back.credit_account_id = fund_account_id(finance().org_id, store::LedgerAccountKind::kSourceCentral);
  back.amount_fen = 1;
  back.code = store::TransferCode::kCorrection;
  back.corrects_id = 1;
  back.user_id = finance().user_id;
  // The dedicated account is empty (all allocated): the ledger refuses the
  // correction itself, so no source can be taken back below what it paid.
  auto refused = funds::submit_transfers(s, std::span<const store::LedgerTransfer>(&back, 1), app_->now_ms());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->results[0], funds::TransferResult::kExceedsCredits);
  expect_ledger_ok();
}

TEST_F(Payments, ThroughTheSchoolWithAnUnpaidRemainderReturned) {
  store::Store& s = st();
  const int64_t total = year_total_fen();
  fund(total, total);
  auto batch = prepare_batch(*app_, s, finance(), cycle(), 1, "school");
  ASSERT_TRUE(batch) << batch.error().describe();
  EXPECT_TRUE(batch->file_sm3.empty());
  ASSERT_TRUE(approve_batch(*app_, s, officer(), batch->id, ""));
  auto mine = school_payment_lines(*app_, s, school(), cycle());
  ASSERT_TRUE(mine) << mine.error().describe();
  ASSERT_EQ(static_cast<int64_t>(mine->size()), batch->line_count);
  // Only the school records them, and a payment needs its reference.
  auto county_try = record_school_payment(*app_, s, finance(), (*mine)[0].id, true, "R1", "2025-10-10", "");
  ASSERT_FALSE(county_try);
  auto no_ref = record_school_payment(*app_, s, school(), (*mine)[0].id, true, "", "2025-10-10", "");
  ASSERT_FALSE(no_ref);
  EXPECT_EQ(no_ref.error().where.column, "reference");
  for (size_t i = 0; i < mine->size(); ++i) {
    const bool paid = i != 0;
    auto done = record_school_payment(*app_, s, school(), (*mine)[i].id, paid, paid ? "XJ-" + std::to_string(i) : "",
                                      "2025-10-10", paid ? "" : "学生已转学，未能发放");
    ASSERT_TRUE(done) << done.error().describe();
    EXPECT_EQ(done->status, paid ? "paid" : "failed");
  }
  auto twice = record_school_payment(*app_, s, school(), (*mine)[1].id, true, "XJ-9", "2025-10-10", "");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "STATE_CONFLICT");
  expect_ledger_ok();

  // Everyone is still owed something (the unpaid student, term 2): no
  // surplus to return.
  auto too_much = return_remainder(*app_, s, finance(), 20, cycle(), demo_.objects.school_own, Fen::from_fen(1),
                                   "学期调整后名单金额减少");
  ASSERT_FALSE(too_much);
  EXPECT_EQ(too_much.error().code, "RULE");
  EXPECT_NE(too_much.error().message.find("尚未发放"), std::string::npos) << too_much.error().message;

  // The unpaid student's money goes back to the county; the student's term
  // is closed: no later batch holds them.
  const int64_t unpaid_fen = parse_yuan((*mine)[0].amount)->value();
  auto back = return_failed_line(*app_, s, finance(), (*mine)[0].id, "学生已转学");
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->status, "returned");
  auto retry = return_failed_line(*app_, s, finance(), (*mine)[0].id, "学生已转学");
  ASSERT_FALSE(retry);
  EXPECT_EQ(retry.error().code, "STATE_CONFLICT");
  EXPECT_EQ(account(finance().org_id, store::LedgerAccountKind::kReturned).credits_posted_fen, unpaid_fen);
  auto none = prepare_batch(*app_, s, finance(), cycle(), 1, "school");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "RULE");
  expect_ledger_ok();
}

}  // namespace
}  // namespace zizhu::app
