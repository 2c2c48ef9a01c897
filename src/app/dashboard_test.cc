// The dashboard's figures on the demo county (app/dashboard.h): per school
// and in total they agree with the school's list, the levels add up to what
// the lists commit, the follow-ups and payments follow the list, and the
// parts behind other permissions are left out for roles without them.
#include "app/dashboard.h"

#include <gtest/gtest.h>

#include "app/cycles.h"
#include "app/demo_test_util.h"
#include "app/identification.h"
#include "app/review.h"

namespace zizhu::app {
namespace {

class Dashboards : public testing::DemoCounty {
 protected:
  Actor with_role(store::Store& store, const std::string& code, const std::string& key, Role role) {
    Actor a = actor_at(store, code, key);
    a.roles.add(role);
    return a;
  }

  // The own school's review: two students funded at level 3, one without aid.
  void review(store::Store& store) {
    county_ = with_role(store, demo_.county_code, "county_officer", Role::kCountyOfficer);
    officer_ = with_role(store, demo_.objects.school_own, "school_officer", Role::kSchoolOfficer);
    cycle_ = demo_.objects.cycle_own;
    ASSERT_TRUE(close_applications(*app_, store, county_, cycle_));
    ASSERT_TRUE(run_identification(*app_, store, county_, cycle_, std::nullopt));
    ASSERT_TRUE(set_panel(*app_, store, officer_, cycle_, std::nullopt, {"reviewer", "reviewer2", "reviewer3"}));
    std::vector<Actor> reviewers;
    for (const char* key : {"reviewer", "reviewer2", "reviewer3"}) {
      reviewers.push_back(actor_at(store, demo_.objects.school_own, key));
    }
    auto board = review_board(*app_, store, officer_, cycle_, std::nullopt);
    ASSERT_TRUE(board) << board.error().describe();
    std::vector<int64_t> candidates;
    for (const auto& c : *board) {
      if (c.unresolved_blocking_flags.empty()) candidates.push_back(c.student_id);
    }
    ASSERT_GE(candidates.size(), 3u);
    auto decide_as = [&](int64_t student, std::optional<int> level) {
      for (const auto& r : reviewers) ASSERT_TRUE(cast_vote(*app_, store, r, cycle_, student, level));
      auto d = decide(*app_, store, officer_, cycle_, student, level, "评审一致");
      ASSERT_TRUE(d) << d.error().describe();
    };
    decide_as(candidates[0], 3);
    decide_as(candidates[1], 3);
    decide_as(candidates[2], std::nullopt);
  }

  Actor county_, officer_;
  int64_t cycle_ = 0;
};

TEST_F(Dashboards, FiguresFollowTheListsAndTheRoles) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  review(store);

  auto d = cycle_dashboard(*app_, store, county_, cycle_);
  ASSERT_TRUE(d) << d.error().describe();
  EXPECT_EQ(d->state, "REVIEW");
  int64_t funded = 0, decided = 0, applications = 0, committed = 0;
  for (const auto& s : d->schools) {
    funded += s.funded;
    decided += s.decided;
    applications += s.applications;
    committed += s.committed.value();
    EXPECT_TRUE(s.identified) << s.school_code;
    EXPECT_LE(s.priority_funded, s.priority);
    ASSERT_TRUE(s.followups_missing.has_value());
  }
  EXPECT_EQ(funded, 2);
  EXPECT_EQ(decided, 3);
  EXPECT_GT(applications, 0);
  // One level, 3, for both; the levels' amounts are what the lists commit.
  ASSERT_EQ(d->levels.size(), 1u);
  EXPECT_EQ(d->levels[0].level, 3);
  EXPECT_EQ(d->levels[0].students, 2);
  EXPECT_EQ(d->levels[0].annual.value(), committed);
  // Each funded student counts once per category, or under "" without one.
  int64_t by_category = 0;
  for (const auto& k : d->categories) {
    EXPECT_LE(k.funded, funded) << k.category;
    if (k.category.empty()) by_category += k.funded;
  }
  EXPECT_LE(by_category, 2);
  // Nobody followed up yet: both funded are missing; both are due in term 1, nothing paid.
  ASSERT_TRUE(d->followups);
  EXPECT_EQ(d->followups->funded, 2);
  EXPECT_EQ(d->followups->missing, 2);
  ASSERT_TRUE(d->feedback_overdue);
  ASSERT_TRUE(d->payments);
  int64_t due = 0, paid = 0;
  for (const auto& p : *d->payments) {
    if (p.term == 1) due += p.due_students;
    paid += p.paid_students;
  }
  EXPECT_EQ(due, 2);
  EXPECT_EQ(paid, 0);

  // The school sees itself and no funds; the auditor the funds, not the
  // follow-ups or feedback; the other county not this cycle.
  auto school = cycle_dashboard(*app_, store, officer_, cycle_);
  ASSERT_TRUE(school) << school.error().describe();
  ASSERT_EQ(school->schools.size(), 1u);
  EXPECT_EQ(school->schools[0].school_code, demo_.objects.school_own);
  EXPECT_FALSE(school->payments);
  EXPECT_TRUE(school->followups);
  const Actor auditor = with_role(store, demo_.county_code, "auditor", Role::kAuditor);
  auto audit = cycle_dashboard(*app_, store, auditor, cycle_);
  ASSERT_TRUE(audit) << audit.error().describe();
  EXPECT_FALSE(audit->followups);
  EXPECT_FALSE(audit->feedback_overdue);
  EXPECT_TRUE(audit->payments);
  EXPECT_FALSE(audit->schools.empty());
  EXPECT_FALSE(audit->schools[0].followups_missing);
  const Actor other = with_role(store, demo_.other_county_code, "county_officer@other", Role::kCountyOfficer);
  auto hidden = cycle_dashboard(*app_, store, other, cycle_);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, "NOT_FOUND");
}

}  // namespace
}  // namespace zizhu::app
