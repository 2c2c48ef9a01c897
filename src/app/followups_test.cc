// Follow-up records (跟踪管理) on the demo county: only funded students of
// the officer's school, only once the review has begun, with the date and
// the note checked; the list of funded students without a record in a term.
#include "app/followups.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "app/cycles.h"
#include "app/demo_test_util.h"
#include "app/identification.h"
#include "app/review.h"
#include "core/school_year.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::app {
namespace {

TEST(CurrentTerm, FromTodayWithinTheCyclesSchoolYear) {
  store::Cycle c;
  c.school_year = "2026-2027";
  EXPECT_EQ(current_term(c, *Date::from_ymd(2026, 9, 1)), 1);
  EXPECT_EQ(current_term(c, *Date::from_ymd(2027, 1, 31)), 1);
  EXPECT_EQ(current_term(c, *Date::from_ymd(2027, 2, 1)), 2);  // core/school_year.h: spring from 1 February
  EXPECT_EQ(current_term(c, *Date::from_ymd(2027, 6, 30)), 2);
  EXPECT_EQ(current_term(c, *Date::from_ymd(2026, 8, 20)), 1);  // before the year: its first term
  EXPECT_EQ(current_term(c, *Date::from_ymd(2027, 10, 8)), 2);  // after it: its last
}

class Followups : public testing::DemoCounty {
 protected:
  // The review of the own school: two students funded at level 3, one
  // decided without aid.
  void start(store::Store& store) {
    county_ = actor_at(store, demo_.county_code, "county_officer");
    officer_ = actor_at(store, demo_.objects.school_own, "school_officer");
    officer_.display_name = "学校资助专干";
    other_school_ = actor_at(store, demo_.objects.school_other, "school_officer");
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
    funded_ = {candidates[0], candidates[1]};
    unfunded_ = candidates[2];
  }

  FollowupInput input(int64_t student, int64_t term) {
    FollowupInput in;
    in.student_id = student;
    in.term = term;
    in.kind = "home_visit";
    in.happened_on = china_today(*app_).iso();
    in.note = "到家中走访，了解学习和生活情况，孩子情绪稳定。";
    return in;
  }

  Actor county_, officer_, other_school_;
  int64_t cycle_ = 0;
  std::vector<int64_t> funded_;
  int64_t unfunded_ = 0;
};

TEST_F(Followups, OnlyFundedStudentsOfTheSchoolOnceTheReviewHasBegun) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  const Actor officer = actor_at(store, demo_.objects.school_own, "school_officer");
  // Applications still open: nothing is decided, nothing to follow up.
  auto early = add_followup(*app_, store, officer, demo_.objects.cycle_own, input(demo_.objects.student_own, 1));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "STATE_CONFLICT");

  start(store);
  auto made = add_followup(*app_, store, officer_, cycle_, input(funded_[0], 1));
  ASSERT_TRUE(made) << made.error().describe();
  EXPECT_EQ(made->student_id, funded_[0]);
  EXPECT_EQ(made->term, 1);
  EXPECT_EQ(made->term_label, "秋季学期");
  EXPECT_EQ(made->kind_label, "家访");
  EXPECT_EQ(made->school_code, demo_.objects.school_own);
  EXPECT_FALSE(made->student_name.empty());
  EXPECT_EQ(made->recorded_by_name, "学校资助专干");

  auto refused = [&](FollowupInput in, const Actor& who, const std::string& code, const std::string& field) {
    auto r = add_followup(*app_, store, who, cycle_, in);
    ASSERT_FALSE(r) << in.note;
    EXPECT_EQ(r.error().code, code) << r.error().describe();
    EXPECT_EQ(r.error().where.column, field) << r.error().describe();
  };
  refused(input(unfunded_, 1), officer_, "RULE", "student_id");
  refused(input(funded_[0], 1), other_school_, "NOT_FOUND", "student_id");  // another school's student
  refused(input(999'999'999, 1), officer_, "NOT_FOUND", "student_id");
  auto in = input(funded_[0], 3);
  refused(in, officer_, "BAD_VALUE", "term");
  in = input(funded_[0], 1);
  in.kind = "visit";
  refused(in, officer_, "BAD_VALUE", "kind");
  in = input(funded_[0], 1);
  in.happened_on = china_today(*app_).plus_days(1).iso();
  refused(in, officer_, "BAD_VALUE", "happened_on");
  auto cycle = store.get_cycle(cycle_);
  ASSERT_TRUE(cycle && *cycle);
  const DateRange year = school_year_range(*parse_school_year((*cycle)->school_year));
  in.happened_on = year.first.plus_days(-1).iso();
  refused(in, officer_, "BAD_VALUE", "happened_on");
  in.happened_on = "昨天";
  refused(in, officer_, "BAD_VALUE", "happened_on");
  in = input(funded_[0], 1);
  in.note = "";
  refused(in, officer_, "BAD_VALUE", "note");
  in.note = "联系电话 13912345678";
  refused(in, officer_, "BAD_VALUE", "note");
  in.note = std::string(kFollowupNoteBytesMax + 1, 'a');
  refused(in, officer_, "BAD_VALUE", "note");

  // Kept as recorded; a correction is a new record.
  auto& db = dynamic_cast<store::sqlite::SqliteStore&>(store).connection();
  EXPECT_FALSE(db.exec("UPDATE followup_record SET note = '改'"));
  EXPECT_FALSE(db.exec("DELETE FROM followup_record"));
  // The audit log says that it happened, not what the note says.
  store::AuditFilter filter;
  filter.action = "followup.add";
  auto audit = store.audit_page("/", filter, 0, 10);
  ASSERT_TRUE(audit) << audit.error().describe();
  ASSERT_EQ(audit->total, 1);
  EXPECT_EQ(audit->items[0].object_id, std::to_string(funded_[0]));
  EXPECT_EQ(audit->items[0].summary.find("走访"), std::string::npos);
  EXPECT_NE(audit->items[0].summary.find("home_visit"), std::string::npos);
}

TEST_F(Followups, TheMissingListShowsFundedStudentsWithoutARecordInTheTerm) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  start(store);
  auto before = missing_followups(*app_, store, officer_, cycle_, std::nullopt, 1);
  ASSERT_TRUE(before) << before.error().describe();
  EXPECT_EQ(before->funded, 2);
  ASSERT_EQ(before->items.size(), 2u);
  EXPECT_EQ(before->items[0].level, 3);
  EXPECT_EQ(before->term_label, "秋季学期");
  EXPECT_NE(before->items[0].student_no.find('*'), std::string::npos);  // masked

  ASSERT_TRUE(add_followup(*app_, store, officer_, cycle_, input(funded_[0], 1)));
  auto term1 = missing_followups(*app_, store, officer_, cycle_, std::nullopt, 1);
  ASSERT_TRUE(term1);
  ASSERT_EQ(term1->items.size(), 1u);
  EXPECT_EQ(term1->items[0].student_id, funded_[1]);
  auto term2 = missing_followups(*app_, store, officer_, cycle_, std::nullopt, 2);
  ASSERT_TRUE(term2);
  EXPECT_EQ(term2->items.size(), 2u);  // a record counts for its own term only
  auto bad = missing_followups(*app_, store, officer_, cycle_, std::nullopt, 0);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where.column, "term");

  // The county sees every school's (only the own school decided anything).
  auto county = missing_followups(*app_, store, county_, cycle_, std::nullopt, 1);
  ASSERT_TRUE(county) << county.error().describe();
  ASSERT_EQ(county->items.size(), 1u);
  EXPECT_EQ(county->items[0].school_code, demo_.objects.school_own);
  auto one_school = missing_followups(*app_, store, county_, cycle_, demo_.objects.school_other, 1);
  ASSERT_TRUE(one_school);
  EXPECT_EQ(one_school->funded, 0);
  // Another school's officer: their own school, and not the own school.
  auto other = missing_followups(*app_, store, other_school_, cycle_, std::nullopt, 1);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->items.empty());
  auto outside = missing_followups(*app_, store, other_school_, cycle_, demo_.objects.school_own, 1);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, "NOT_FOUND");
  // The other county's officer does not see the cycle at all.
  const Actor far = actor_at(store, demo_.other_county_code, "county_officer@other");
  EXPECT_EQ(missing_followups(*app_, store, far, cycle_, std::nullopt, 1).error().code, "NOT_FOUND");

  // The records: a student's, a term's, in scope only.
  ASSERT_TRUE(add_followup(*app_, store, officer_, cycle_, input(funded_[0], 2)));
  FollowupQuery of_student;
  of_student.student_id = funded_[0];
  auto records = list_followups(*app_, store, county_, cycle_, of_student, {});
  ASSERT_TRUE(records) << records.error().describe();
  EXPECT_EQ(records->total, 2);
  FollowupQuery spring;
  spring.term = 2;
  EXPECT_EQ(list_followups(*app_, store, officer_, cycle_, spring, {})->total, 1);
  EXPECT_EQ(list_followups(*app_, store, other_school_, cycle_, {}, {})->total, 0);
  auto hidden = list_followups(*app_, store, other_school_, cycle_, of_student, {});
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, "NOT_FOUND");
}

}  // namespace
}  // namespace zizhu::app
