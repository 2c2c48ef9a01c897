// The demo's money in motion (demo_money.h): last year's cycle of the other
// county funded from several sources, term 1 paid with exactly one line
// refused by the bank (that student still to pay), term 2 paid, the fund use
// published, and the ledger check holding; the own county's ledger left
// empty for the tests that start from it.
#include "app/demo_money.h"

#include <gtest/gtest.h>

#include "app/demo_test_util.h"
#include "app/fund_reports.h"
#include "app/payments.h"
#include "app/store_pool.h"
#include "funds/ledger_check.h"

namespace zizhu::app {
namespace {

class DemoMoneyTest : public testing::DemoCounty {};

TEST_F(DemoMoneyTest, TheOtherCountyPaidLastYearWithOneLineWaitingForACard) {
  auto lease = app_->store();
  ASSERT_TRUE(lease) << lease.error().describe();
  store::Store& st = **lease;
  const DemoObjects& o = demo_.objects;
  ASSERT_GT(o.cycle_past_other_county, 0);
  ASSERT_GT(o.payment_batch_other_county, 0);
  ASSERT_GT(o.payment_line_failed_other_county, 0);
  ASSERT_GT(o.fund_publication_other_county, 0);

  auto report = funds::check_ledger(st);
  ASSERT_TRUE(report) << report.error().describe();
  for (const auto& p : report->problems) ADD_FAILURE() << funds::ledger_invariant_key(p.invariant) << ": " << p.detail;
  EXPECT_TRUE(report->ok());

  Actor finance = actor_at(st, demo_.other_county_code, "county_officer@other");
  finance.roles.add(Role::kFinance);
  auto batch = get_batch(*app_, st, finance, o.payment_batch_other_county);
  ASSERT_TRUE(batch) << batch.error().describe();
  EXPECT_EQ(batch->state, "SETTLED");
  EXPECT_EQ(batch->term, 1);
  EXPECT_EQ(batch->channel, "direct");
  ASSERT_GT(batch->lines.size(), 1u);
  int failed = 0;
  for (const auto& l : batch->lines) {
    if (l.status == "failed") {
      ++failed;
      EXPECT_EQ(l.id, o.payment_line_failed_other_county);
      EXPECT_EQ(l.student_id, o.payment_student_failed_other_county);
      EXPECT_EQ(l.reason, "账户已销户");
    } else {
      EXPECT_EQ(l.status, "paid") << l.line_no;
      EXPECT_FALSE(l.bank_ref.empty());
    }
  }
  EXPECT_EQ(failed, 1);

  // The refused student is "to pay" for term 1: no live line, the failed
  // one not returned.
  auto lines = st.payment_lines_of_term(o.cycle_past_other_county, 1);
  ASSERT_TRUE(lines) << lines.error().describe();
  int of_student = 0;
  for (const auto& l : *lines) {
    if (l.student_id != o.payment_student_failed_other_county) continue;
    ++of_student;
    EXPECT_EQ(l.status, "failed") << "line " << l.id;
  }
  EXPECT_EQ(of_student, 1);

  auto term2 = get_batch(*app_, st, finance, o.payment_batch_term2_other_county);
  ASSERT_TRUE(term2) << term2.error().describe();
  EXPECT_EQ(term2->state, "SETTLED");
  EXPECT_EQ(term2->term, 2);

  auto node = st.find_org_node(demo_.other_county_code);
  ASSERT_TRUE(node && *node);
  auto published = st.fund_publications((*node)->path, o.cycle_past_other_county, 10);
  ASSERT_TRUE(published) << published.error().describe();
  ASSERT_EQ(published->size(), 1u);
  EXPECT_EQ(published->front().id, o.fund_publication_other_county);
  Actor reader = finance;
  auto figures = fund_use(*app_, st, reader, o.cycle_past_other_county);
  ASSERT_TRUE(figures) << figures.error().describe();
  int sources = 0;
  for (const auto& s : figures->sources) {
    if (s.received_fen > 0) ++sources;
    if (s.key == "donor") {
      ASSERT_EQ(s.donors.size(), 1u);
      EXPECT_EQ(s.donors[0].name, "兰州市慈善总会");
    }
  }
  EXPECT_GE(sources, 3);
  EXPECT_GT(figures->totals.paid_fen, 0);
  EXPECT_GT(figures->allocated_fen, 0);

  // The own county's money is untouched: its tests start from an empty ledger.
  auto own_lines = st.payment_lines_of_term(o.cycle_past_own, 1);
  ASSERT_TRUE(own_lines);
  EXPECT_TRUE(own_lines->empty());
  auto own_node = st.find_org_node(demo_.county_code);
  ASSERT_TRUE(own_node && *own_node);
  auto own_published = st.fund_publications((*own_node)->path, std::nullopt, 10);
  ASSERT_TRUE(own_published);
  EXPECT_TRUE(own_published->empty());
}

}  // namespace
}  // namespace zizhu::app
