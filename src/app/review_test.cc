// The review rules where the data must be set up for them: a student whose
// ID fails validation (a blocking flag) cannot be decided funded until the
// flag is resolved; the school's budget holds every funded decision.
#include "app/review.h"

#include <gtest/gtest.h>

#include "app/cycles.h"
#include "app/demo_test_util.h"
#include "app/identification.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::app {
namespace {

class Review : public testing::DemoCounty {
 protected:
  // Closes applications, runs the county's identification, sets the own
  // school's panel; returns the school officer.
  void start(store::Store& store) {
    county_ = actor_at(store, demo_.county_code, "county_officer");
    officer_ = actor_at(store, demo_.objects.school_own, "school_officer");
    for (const char* key : {"reviewer", "reviewer2", "reviewer3"}) {
      reviewers_.push_back(actor_at(store, demo_.objects.school_own, key));
    }
    cycle_ = demo_.objects.cycle_own;
    ASSERT_TRUE(close_applications(*app_, store, county_, cycle_));
    ASSERT_TRUE(run_identification(*app_, store, county_, cycle_, std::nullopt));
    ASSERT_TRUE(set_panel(*app_, store, officer_, cycle_, std::nullopt, {"reviewer", "reviewer2", "reviewer3"}));
  }
  void all_vote(store::Store& store, int64_t student, std::optional<int> level) {
    for (const auto& r : reviewers_) ASSERT_TRUE(cast_vote(*app_, store, r, cycle_, student, level));
  }

  Actor county_, officer_;
  std::vector<Actor> reviewers_;
  int64_t cycle_ = 0;
};

TEST_F(Review, ABlockingFlagMustBeResolvedBeforeFunding) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  // The guardian's child applied: its ID made invalid (kept as given, flagged).
  const int64_t child = demo_.objects.guardian_children[0];
  auto s = store.get_student(child);
  ASSERT_TRUE(s && *s);
  store::StudentInput changed = (*s)->data;
  changed.id_number = store::SensitiveText("620102201501011234");  // wrong check digit
  ASSERT_TRUE(store.upsert_student(changed));
  start(store);

  auto board = review_board(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_TRUE(board) << board.error().describe();
  const CandidateView* flagged = nullptr;
  for (const auto& c : *board) {
    if (c.student_id == child) flagged = &c;
  }
  ASSERT_NE(flagged, nullptr);
  // The 学籍号 is G + the real ID: the changed 身份证号 also disagrees with it.
  ASSERT_EQ(flagged->unresolved_blocking_flags, (std::vector<std::string>{"ID_INVALID", "ID_MISMATCH"}));
  EXPECT_EQ(flagged->status, "BLOCKED");

  all_vote(store, child, 3);
  auto refused = decide(*app_, store, officer_, cycle_, child, 3, "已家访");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "RULE");
  auto resolved = resolve_flag(*app_, store, officer_, cycle_, child, "ID_INVALID", "学籍系统中身份证号录入错误，已更正");
  ASSERT_TRUE(resolved) << resolved.error().describe();
  EXPECT_EQ(resolved->unresolved_blocking_flags, std::vector<std::string>{"ID_MISMATCH"});
  ASSERT_FALSE(decide(*app_, store, officer_, cycle_, child, 3, "已家访"));  // one flag left
  auto mismatch = resolve_flag(*app_, store, officer_, cycle_, child, "ID_MISMATCH", "同上，以学籍号中的为准");
  ASSERT_TRUE(mismatch) << mismatch.error().describe();
  EXPECT_TRUE(mismatch->unresolved_blocking_flags.empty());
  auto unknown = resolve_flag(*app_, store, officer_, cycle_, child, "SHARED_BANK_CARD", "无");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "BAD_VALUE");
  auto twice = resolve_flag(*app_, store, officer_, cycle_, child, "ID_INVALID", "再次");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "CONFLICT");
  auto funded = decide(*app_, store, officer_, cycle_, child, 3, "已家访");
  ASSERT_TRUE(funded) << funded.error().describe();
  EXPECT_TRUE(funded->decided);
  EXPECT_EQ(funded->decided_level, 3);
}

TEST_F(Review, TheSchoolBudgetHoldsEveryFundedDecision) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  start(store);
  auto board = review_board(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_TRUE(board);
  std::vector<int64_t> candidates;
  for (const auto& c : *board) {
    if (c.unresolved_blocking_flags.empty()) candidates.push_back(c.student_id);
  }
  ASSERT_GE(candidates.size(), 3u);
  // The own school's budget: room for exactly one level-3 award (1,000 yuan
  // in the default policy) — set in the store, past the REVIEW rule, as a
  // budget cut before the review would have.
  auto school = store.find_school(demo_.objects.school_own);
  ASSERT_TRUE(school && *school);
  ASSERT_TRUE(store.set_budgets(cycle_, {{(*school)->org_id, "", "", Fen::from_fen(150'000)}}));
  for (int64_t s : candidates) all_vote(store, s, 3);
  auto first = decide(*app_, store, officer_, cycle_, candidates[0], 3, "评审一致");
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->decided_amount, "1000.00");
  auto second = decide(*app_, store, officer_, cycle_, candidates[1], 3, "评审一致");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "RULE");
  EXPECT_NE(second.error().message.find("预算"), std::string::npos);
  // "No aid" costs nothing: always within the budget.
  for (const auto& r : reviewers_) ASSERT_TRUE(cast_vote(*app_, store, r, cycle_, candidates[2], std::nullopt));
  auto none = decide(*app_, store, officer_, cycle_, candidates[2], std::nullopt, "家庭情况已好转");
  ASSERT_TRUE(none) << none.error().describe();
  EXPECT_EQ(none->decided_amount, "0.00");
  // Decisions are kept as made.
  EXPECT_FALSE(dynamic_cast<store::sqlite::SqliteStore&>(store).connection().exec("DELETE FROM review_decision"));
}

}  // namespace
}  // namespace zizhu::app
