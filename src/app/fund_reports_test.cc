// The fund-use publication and the audit report on the demo county: money
// received from two sources (one without a cycle), allocated, committed and
// paid through payment lines and transfers made here (as app/payments.cc
// will make them), then the figures must add up to the fen; the publication
// holds no personal data and is kept as published; the audit report opens.
#include "app/fund_reports.h"

#include <gtest/gtest.h>

#include <fstream>

#include "app/cycles.h"
#include "app/demo_test_util.h"
#include "app/funds_in.h"
#include "app/list_snapshot.h"
#include "crypto/sm3.h"
#include "funds/ledger_service.h"
#include "io/xlsx_reader.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::app {
namespace {

using store::LedgerAccountKind;
namespace flags = store::transfer_flags;

constexpr int64_t kPaymentPendingBase = int64_t{1} << 42;
constexpr int64_t kPaymentSettleBase = int64_t{1} << 43;
constexpr int64_t kCommitmentBase = int64_t{1} << 41;

class FundReports : public testing::DemoCounty {
 protected:
  Actor with_role(store::Store& store, const std::string& code, const std::string& key, Role role) {
    Actor a = actor_at(store, code, key);
    a.roles = RoleSet();
    a.roles.add(role);
    return a;
  }

  // Transfers through the ledger, each accepted.
  void submit(store::Store& store, std::vector<store::LedgerTransfer> batch) {
    auto applied = funds::submit_transfers(store, batch, app_->now_ms());
    ASSERT_TRUE(applied) << applied.error().describe();
    for (size_t i = 0; i < batch.size(); ++i) {
      ASSERT_TRUE(funds::transfer_accepted(applied->results.at(i))) << "transfer " << batch[i].id;
    }
  }

  void ensure_account(store::Store& store, int64_t org, LedgerAccountKind kind, bool no_overdraft) {
    store::LedgerAccount a;
    a.id = fund_account_id(org, kind);
    a.org_id = org;
    a.kind = kind;
    a.no_overdraft = no_overdraft;
    a.created_at_ms = app_->now_ms();
    auto found = store.ledger_accounts({a.id});
    ASSERT_TRUE(found);
    if (found->empty()) {
      ASSERT_TRUE(store.create_ledger_account(a));
    }
  }

  store::LedgerTransfer payment(int64_t id, int64_t school, int64_t amount_fen, std::string source, uint32_t f,
                                int64_t pending_id) {
    store::LedgerTransfer t;
    t.id = id;
    t.debit_account_id = fund_account_id(school, LedgerAccountKind::kPayable);
    t.credit_account_id = fund_account_id(school, LedgerAccountKind::kPaidOut);
    t.amount_fen = amount_fen;
    t.code = store::TransferCode::kPayment;
    t.flags = f;
    t.pending_id = pending_id;
    t.cycle_id = cycle_;
    t.source = std::move(source);
    return t;
  }

  // Receipts, an allocation, the filing's commitment (posted), one batch of
  // three lines: two paid (the second in two shares, central and donor), one
  // failed; a return of 100.00 naming no source.
  void pay(store::Store& store) {
    county_ = actor_at(store, demo_.county_code, "finance");
    county_.roles = RoleSet();
    county_.roles.add(Role::kFinance);
    cycle_ = demo_.objects.cycle_past_own;
    auto filing = store.get_filing(demo_.objects.filing_own);
    ASSERT_TRUE(filing && *filing);
    school_ = (*filing)->school_id;
    const int64_t list_fen = (*filing)->total.value();
    ASSERT_GT(list_fen, 0);
    allocated_fen_ = list_fen + 123'45;
    central_fen_ = allocated_fen_ + 10'000'00;
    donor_fen_ = 5'000'50;
    local_fen_ = 2'000'00;
    ASSERT_TRUE(record_receipt(*app_, store, county_, 1, FundSource::kCentral, "", Fen::from_fen(central_fen_),
                               "财教〔2026〕1号", cycle_));
    ASSERT_TRUE(record_receipt(*app_, store, county_, 2, FundSource::kDonor, "爱心助学基金会",
                               Fen::from_fen(donor_fen_), "", cycle_));
    ASSERT_TRUE(record_receipt(*app_, store, county_, 3, FundSource::kLocal, "", Fen::from_fen(local_fen_),
                               "县财〔2026〕9号", std::nullopt));
    ASSERT_TRUE(allocate_to_school(*app_, store, county_, 4, demo_.objects.school_own,
                                   Fen::from_fen(allocated_fen_), cycle_));
    auto committed = commit_filing(*app_, store, county_, demo_.objects.filing_own);
    ASSERT_TRUE(committed) << committed.error().describe();
    store::LedgerTransfer post;
    post.id = kCommitmentBase + (int64_t{1} << 40) + demo_.objects.filing_own;
    post.debit_account_id = fund_account_id(school_, LedgerAccountKind::kSchoolAllocation);
    post.credit_account_id = fund_account_id(school_, LedgerAccountKind::kPayable);
    post.amount_fen = list_fen;
    post.code = store::TransferCode::kCommitment;
    post.flags = flags::kPostPending;
    post.pending_id = kCommitmentBase + demo_.objects.filing_own;
    post.cycle_id = cycle_;
    submit(store, {post});
    ensure_account(store, school_, LedgerAccountKind::kPaidOut, false);
    ensure_account(store, county_.org_id, LedgerAccountKind::kReturned, false);

    auto entries = read_list_snapshot((*filing)->snapshot, demo_.objects.filing_own);
    ASSERT_TRUE(entries);
    ASSERT_GE(entries->size(), 3u);
    store::PaymentBatchRecord b;
    b.county_id = county_.org_id;
    b.cycle_id = cycle_;
    b.term = 1;
    b.channel = "direct";
    b.batch_no = "PB-TEST-1";
    b.purpose = "义务教育资助";
    b.state = "PREPARED";
    b.line_count = 3;
    b.prepared_by = county_.user_id;
    b.prepared_at_ms = app_->now_ms();
    std::vector<store::PaymentLineRecord> lines;
    for (size_t i = 0; i < 3; ++i) {
      const SnapshotEntry& e = (*entries)[i];
      store::PaymentLineRecord l;
      l.line_no = "PB-TEST-1-" + std::to_string(i + 1);
      l.cycle_id = cycle_;
      l.term = 1;
      l.student_id = e.student_id;
      l.school_id = school_;
      l.filing_id = demo_.objects.filing_own;
      l.level = e.terms[0].level.value_or(1);
      l.amount_fen = 500'00 + static_cast<int64_t>(i);  // distinct, odd fen
      l.card_masked = "6222****3445";
      l.risk = "";
      l.status = "prepared";
      b.total_fen += l.amount_fen;
      lines.push_back(l);
      names_.push_back(e.name);
      student_nos_masked_.push_back(e.student_no_masked);
    }
    auto tx = store::Transaction::begin(store);
    ASSERT_TRUE(tx);
    auto batch_id = store.add_payment_batch(b);
    ASSERT_TRUE(batch_id) << batch_id.error().describe();
    for (auto& l : lines) l.batch_id = *batch_id;
    ASSERT_TRUE(store.add_payment_lines(lines));
    b.id = *batch_id;
    b.state = "APPROVED";
    b.approved_by = actor_at(store, demo_.county_code, "county_officer").user_id;
    b.approved_at_ms = app_->now_ms();
    ASSERT_TRUE(store.update_payment_batch(b));
    for (auto& l : lines) {
      l.status = "pending";
      ASSERT_TRUE(store.update_payment_line(l));
    }
    ASSERT_TRUE(tx->commit());
    // Shares: line 1 central; line 2 central 300.00 + donor the rest; line 3 central.
    const int64_t l2_central = 300'00, l2_donor = lines[1].amount_fen - l2_central;
    std::vector<store::LedgerTransfer> pending = {
        payment(kPaymentPendingBase + lines[0].id * 8, school_, lines[0].amount_fen, "central", flags::kPending, 0),
        payment(kPaymentPendingBase + lines[1].id * 8, school_, l2_central, "central", flags::kPending, 0),
        payment(kPaymentPendingBase + lines[1].id * 8 + 1, school_, l2_donor, "donor", flags::kPending, 0),
        payment(kPaymentPendingBase + lines[2].id * 8, school_, lines[2].amount_fen, "central", flags::kPending, 0),
    };
    submit(store, pending);
    std::vector<store::LedgerTransfer> settle;
    for (size_t i = 0; i < pending.size(); ++i) {
      const bool failed = i == 3;
      settle.push_back(payment(pending[i].id - kPaymentPendingBase + kPaymentSettleBase, school_, pending[i].amount_fen,
                               pending[i].source, failed ? flags::kVoidPending : flags::kPostPending, pending[i].id));
    }
    submit(store, settle);
    lines[0].status = "paid";
    lines[0].bank_ref = "BANK-0001";
    lines[0].processed_on = "2026-11-28";
    lines[1].status = "paid";
    lines[1].bank_ref = "BANK-0002";
    lines[1].processed_on = "2026-11-28";
    lines[2].status = "failed";
    lines[2].reason = "账户已销户";
    lines[2].processed_on = "2026-11-28";
    for (auto& l : lines) {
      l.settled_by = county_.user_id;
      l.settled_at_ms = app_->now_ms();
      ASSERT_TRUE(store.update_payment_line(l));
    }
    store::LedgerTransfer ret;
    ret.id = 5;
    ret.debit_account_id = fund_account_id(school_, LedgerAccountKind::kPayable);
    ret.credit_account_id = fund_account_id(county_.org_id, LedgerAccountKind::kReturned);
    ret.amount_fen = 100'00;
    ret.code = store::TransferCode::kReturn;
    ret.cycle_id = cycle_;
    submit(store, {ret});
    lines_ = lines;
    central_paid_fen_ = lines[0].amount_fen + l2_central;
    donor_paid_fen_ = l2_donor;
  }

  Actor county_;
  int64_t cycle_ = 0, school_ = 0;
  int64_t allocated_fen_ = 0, central_fen_ = 0, donor_fen_ = 0, local_fen_ = 0;
  int64_t central_paid_fen_ = 0, donor_paid_fen_ = 0;
  std::vector<store::PaymentLineRecord> lines_;
  std::vector<std::string> names_, student_nos_masked_;
};

TEST_F(FundReports, FiguresAddUpToTheFen) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  pay(store);
  auto f = fund_use(*app_, store, county_, cycle_);
  ASSERT_TRUE(f) << f.error().describe();
  ASSERT_EQ(f->sources.size(), 5u);
  const SourceFigures& central = f->sources[0];
  const SourceFigures& local = f->sources[2];
  const SourceFigures& donor = f->sources[3];
  EXPECT_EQ(central.key, "central");
  EXPECT_EQ(central.label, "中央财政");
  EXPECT_EQ(central.received_fen, central_fen_);
  EXPECT_EQ(central.received_without_cycle_fen, 0);
  EXPECT_EQ(donor.received_fen, donor_fen_);
  EXPECT_EQ(local.received_fen, 0);
  EXPECT_EQ(local.received_without_cycle_fen, local_fen_);
  ASSERT_EQ(donor.donors.size(), 1u);
  EXPECT_EQ(donor.donors[0].name, "爱心助学基金会");
  EXPECT_EQ(donor.donors[0].received_fen, donor_fen_);
  EXPECT_EQ(f->totals.received_fen, central_fen_ + donor_fen_);
  EXPECT_EQ(f->totals.received_without_cycle_fen, local_fen_);
  EXPECT_EQ(f->allocated_fen, allocated_fen_);
  EXPECT_EQ(central.paid_fen, central_paid_fen_);
  EXPECT_EQ(donor.paid_fen, donor_paid_fen_);
  EXPECT_EQ(f->totals.paid_fen, lines_[0].amount_fen + lines_[1].amount_fen);  // the failed line is not paid
  EXPECT_EQ(f->totals.paying_fen, 0);
  EXPECT_EQ(f->returned_unattributed_fen, 100'00);
  EXPECT_EQ(f->totals.returned_fen, 100'00);
  ASSERT_EQ(f->schools.size(), 1u);
  EXPECT_EQ(f->schools[0].school_code, demo_.objects.school_own);
  EXPECT_EQ(f->schools[0].students, 2);
  EXPECT_EQ(f->schools[0].amount_fen, lines_[0].amount_fen + lines_[1].amount_fen);
  int64_t by_level = 0, students = 0;
  for (const auto& l : f->schools[0].levels) {
    by_level += l.amount_fen;
    students += l.students;
    EXPECT_FALSE(l.label.empty());
  }
  EXPECT_EQ(by_level, f->schools[0].amount_fen);
  EXPECT_EQ(students, 2);
  EXPECT_EQ(f->students_paid, 2);
}

TEST_F(FundReports, PublicationIsFrozenAndHoldsNoPersonalData) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  pay(store);
  auto p = publish_fund_use(*app_, store, county_, cycle_);
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->content_sm3, crypto::to_hex(crypto::sm3(p->content)));
  EXPECT_NE(p->content.find("\"format\":\"zizhu-fund-use-1\""), std::string::npos);
  EXPECT_NE(p->content.find("\"received_fen\":" + std::to_string(central_fen_)), std::string::npos);
  // No student's name, 学籍号 (masked or not), card, nor a user's name.
  for (size_t i = 0; i < lines_.size(); ++i) {
    ASSERT_FALSE(names_[i].empty());
    ASSERT_FALSE(student_nos_masked_[i].empty());
    EXPECT_EQ(p->content.find(names_[i]), std::string::npos) << names_[i];
    EXPECT_EQ(p->content.find(student_nos_masked_[i]), std::string::npos);
    auto s = store.get_student_listing(lines_[i].student_id);
    ASSERT_TRUE(s && *s);
    if ((*s)->bank_card_masked) {
      EXPECT_EQ(p->content.find(*(*s)->bank_card_masked), std::string::npos);
    }
    if (!(*s)->guardian_name.empty()) {
      EXPECT_EQ(p->content.find((*s)->guardian_name), std::string::npos);
    }
    // The last four digits of the 学籍号 are in the masked form; not in the content as a number either.
    const std::string tail = student_nos_masked_[i].substr(student_nos_masked_[i].size() - 4);
    EXPECT_EQ(p->content.find("\"" + tail + "\""), std::string::npos);
  }
  EXPECT_EQ(p->content.find("6222"), std::string::npos);
  for (const auto& u : demo_.users) {
    if (u.key == "finance") {
      EXPECT_EQ(p->content.find(u.display_name), std::string::npos);
    }
  }

  // Public, no login; then more money moves, and the publication stays as it was.
  auto listed = public_fund_publications(*app_, store, demo_.county_code);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].content, p->content);
  ASSERT_TRUE(record_receipt(*app_, store, county_, 9, FundSource::kCentral, "", Fen::from_fen(1'00), "财教〔2026〕2号",
                             cycle_));
  auto again = store.get_fund_publication(p->id);
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->content, p->content);
  EXPECT_EQ(crypto::to_hex(crypto::sm3((*again)->content)), (*again)->content_sm3);
  auto& db = dynamic_cast<store::sqlite::SqliteStore&>(store).connection();
  EXPECT_FALSE(db.exec("UPDATE fund_publication SET content = '{}'"));
  EXPECT_FALSE(db.exec("DELETE FROM fund_publication"));
  // The other county's list holds its own (the demo's), never this one.
  auto other = public_fund_publications(*app_, store, demo_.other_county_code);
  ASSERT_TRUE(other);
  for (const auto& x : *other) EXPECT_NE(x.id, p->id);
}

TEST_F(FundReports, WrongRoleOrPlaceIsRefused) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  pay(store);
  for (auto [key, role] : {std::pair{"county_officer", Role::kCountyOfficer}, std::pair{"auditor", Role::kAuditor}}) {
    auto refused = publish_fund_use(*app_, store, with_role(store, demo_.county_code, key, role), cycle_);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "FORBIDDEN");
  }
  // Finance of the other county does not reach this cycle.
  Actor other = with_role(store, demo_.other_county_code, "finance", Role::kFinance);
  auto elsewhere = publish_fund_use(*app_, store, other, cycle_);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, "NOT_FOUND");
  auto report = audit_report(*app_, store, with_role(store, demo_.county_code, "school_officer", Role::kSchoolOfficer),
                             demo_.county_code, "2026-01-01", "2026-12-31");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, "FORBIDDEN");
  auto out_of_scope = audit_report(*app_, store, other, demo_.county_code, "2026-01-01", "2026-12-31");
  ASSERT_FALSE(out_of_scope);
  EXPECT_EQ(out_of_scope.error().code, "NOT_FOUND");
  auto backwards = audit_report(*app_, store, county_, std::nullopt, "2026-12-31", "2026-01-01");
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().code, "BAD_VALUE");
}

TEST_F(FundReports, AuditReportOpensAndItsTotalMatchesTheLedger) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  pay(store);
  const std::string today = china_today(*app_).iso();
  Actor auditor = with_role(store, demo_.county_code, "auditor", Role::kAuditor);
  auto file = audit_report(*app_, store, auditor, std::nullopt, today, today);
  ASSERT_TRUE(file) << file.error().describe();
  ASSERT_GT(file->bytes.size(), 4u);
  EXPECT_EQ(file->bytes.substr(0, 2), "PK");
  EXPECT_EQ(file->payments, 3);
  EXPECT_EQ(file->filename, "audit-" + demo_.county_code + "-" + today + "-" + today + ".xlsx");

  // What moved posted balances: single-phase transfers and posts.
  int64_t posted = 0, count = 0;
  auto all = store.ledger_transfers_after(0, 10'000);
  ASSERT_TRUE(all);
  for (const auto& t : *all) {
    // The demo's money is the other county's (its past cycle): not in this report.
    if (t.cycle_id == demo_.objects.cycle_past_other_county) continue;
    ++count;
    if ((t.flags & (flags::kPending | flags::kVoidPending)) == 0) posted += t.amount_fen;
  }
  EXPECT_EQ(file->transfers, count);

  const std::string path = (dir_ / "audit.xlsx").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << file->bytes;
  }
  auto table = io::open_xlsx(path);
  ASSERT_TRUE(table) << table.error().describe();
  const auto& header = (*table)->header();
  ASSERT_EQ(header.size(), 8u);
  EXPECT_EQ(header[0], "业务类型");
  EXPECT_EQ(header[7], "金额（元）");
  io::Row row;
  std::string total_text, total_count, donor_name;
  bool receipt_code_is_text = false;
  for (;;) {
    auto more = (*table)->next(row);
    ASSERT_TRUE(more);
    if (!*more) break;
    if (row.cells.size() < 8) continue;
    if (row.cells[0].text == "合计（已入账）") {
      total_text = std::string(row.cells[7].text);
      total_count = std::string(row.cells[6].text);
      EXPECT_EQ(row.cells[7].type, io::CellType::kNumber);
    }
    if (row.cells[1].text == "receipt") receipt_code_is_text = row.cells[1].type == io::CellType::kText;
    if (row.cells[4].text == "donor" && row.cells[1].text == "receipt") donor_name = std::string(row.cells[5].text);
  }
  ASSERT_FALSE(total_text.empty());
  auto total = parse_yuan(total_text);
  ASSERT_TRUE(total) << total_text;
  EXPECT_EQ(total->value(), posted);
  EXPECT_EQ(total_count, std::to_string(count));
  EXPECT_TRUE(receipt_code_is_text);
  EXPECT_EQ(donor_name, "爱心助学基金会");

  // The download is audited.
  auto n = dynamic_cast<store::sqlite::SqliteStore&>(store).connection().prepare(
      "SELECT COUNT(*) FROM audit_log WHERE action = 'funds.audit_report'");
  ASSERT_TRUE(n);
  ASSERT_TRUE(n->step());
  EXPECT_EQ(n->int_at(0), 1);
}

}  // namespace
}  // namespace zizhu::app
