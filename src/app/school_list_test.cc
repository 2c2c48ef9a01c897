// A school's list from its review to the frozen list, on the demo county with
// the clock held: the announcement's period in working days, what the public
// sees and when it stops seeing it, objections (upheld: the entry changes
// and is announced again; dismissed: appealed to the county), filing refused
// while anything is open, returned, revised, announced again, approved and
// frozen; then a term adjustment in the spring term.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "app/announcements.h"
#include "app/cycles.h"
#include "app/demo_test_util.h"
#include "app/filings.h"
#include "app/identification.h"
#include "app/list_snapshot.h"
#include "app/objections.h"
#include "app/review.h"
#include "app/school_list.h"
#include "crypto/sm3.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::app {
namespace {

// 10:00 China time on the day.
int64_t china_morning_ms(int y, int m, int d) {
  return int64_t{Date::from_ymd(y, m, d)->days()} * 86'400'000 + 2 * 3'600'000;
}

class SchoolList : public testing::DemoCounty {
 protected:
  void at(int y, int m, int d) {
    const int64_t ms = china_morning_ms(y, m, d);
    app_->set_clock([ms] { return ms; });
  }

  // Applications closed, the county's run, the own school's panel, and every
  // candidate decided: the first two without a blocking flag funded at
  // level 3, everyone else no aid.
  void review(store::Store& store) {
    county_ = actor_at(store, demo_.county_code, "county_officer");
    officer_ = actor_at(store, demo_.objects.school_own, "school_officer");
    std::vector<Actor> reviewers;
    for (const char* key : {"reviewer", "reviewer2", "reviewer3"}) {
      reviewers.push_back(actor_at(store, demo_.objects.school_own, key));
    }
    cycle_ = demo_.objects.cycle_own;
    ASSERT_TRUE(close_applications(*app_, store, county_, cycle_));
    ASSERT_TRUE(run_identification(*app_, store, county_, cycle_, std::nullopt));
    ASSERT_TRUE(set_panel(*app_, store, officer_, cycle_, std::nullopt, {"reviewer", "reviewer2", "reviewer3"}));
    auto board = review_board(*app_, store, officer_, cycle_, std::nullopt);
    ASSERT_TRUE(board);
    ASSERT_GE(board->size(), 3u);
    // The last applicant is left for the test of "every candidate decided"
    // (rows of students who did not apply, reported for their data flags
    // only, are not candidates, but may be decided).
    for (const auto& c : *board) {
      if (!c.candidate) continue;
      last_ = c.student_id;
      ++candidates_;
    }
    ASSERT_NE(last_, 0);
    for (const auto& c : *board) {
      const bool fund = funded_.size() < 2 && c.unresolved_blocking_flags.empty() && c.student_id != last_;
      const std::optional<int> level = fund ? std::optional<int>(3) : std::nullopt;
      for (const auto& r : reviewers) ASSERT_TRUE(cast_vote(*app_, store, r, cycle_, c.student_id, level));
      if (c.student_id == last_) {
        last_level_ = level;
        continue;
      }
      auto d = decide(*app_, store, officer_, cycle_, c.student_id, level, "评审小组讨论决定");
      ASSERT_TRUE(d) << d.error().describe();
      if (fund) funded_.push_back(c.student_id);
    }
  }

  // The panel votes `level` on changing the student's entry.
  void panel_votes(store::Store& store, int64_t student, std::optional<int> level) {
    for (const char* key : {"reviewer", "reviewer2", "reviewer3"}) {
      auto v = cast_vote(*app_, store, actor_at(store, demo_.objects.school_own, key), cycle_, student, level);
      ASSERT_TRUE(v) << v.error().describe();
      EXPECT_FALSE(v->vote_basis.empty());
    }
  }

  Actor county_, officer_;
  int64_t cycle_ = 0;
  size_t candidates_ = 0;
  std::vector<int64_t> funded_;
  int64_t last_ = 0;
  std::optional<int> last_level_;
};

TEST_F(SchoolList, AnnounceObjectFileReturnApproveAndAdjust) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  at(2026, 12, 1);  // a Tuesday
  review(store);
  ASSERT_EQ(funded_.size(), 2u);

  // Every candidate must be decided first.
  auto early = announce(*app_, store, officer_, cycle_, std::nullopt, std::nullopt);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "RULE");
  EXPECT_NE(early.error().message.find("1 名"), std::string::npos) << early.error().message;
  ASSERT_TRUE(decide(*app_, store, officer_, cycle_, last_, last_level_, "评审小组讨论决定"));
  auto short_period = announce(*app_, store, officer_, cycle_, std::nullopt, 4);
  ASSERT_FALSE(short_period);
  EXPECT_EQ(short_period.error().where.column, "working_days");

  auto a = announce(*app_, store, officer_, cycle_, std::nullopt, std::nullopt);
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_EQ(a->kind, "list");
  EXPECT_EQ(a->starts_on, "2026-12-01");
  EXPECT_EQ(a->ends_on, "2026-12-08");  // five working days after Tuesday 1 December
  ASSERT_EQ(a->rows.size(), 2u);
  for (const auto& r : a->rows) {
    EXPECT_NE(r.name_masked.find('*'), std::string::npos) << r.name_masked;
    EXPECT_EQ(r.level_label, "三级（一般困难）");
  }
  EXPECT_EQ(a->entries_sm3.size(), 64u);
  // Rows are in student order: row 1's student is removed below, row 2's kept.
  const int64_t kept = a->student_ids[1];

  // The review is over for this school: no more votes or decisions.
  auto late = decide(*app_, store, officer_, cycle_, funded_[0], 3, "再议");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, "STATE_CONFLICT");
  // Announcing twice is refused; the public sees it while it runs.
  EXPECT_FALSE(announce(*app_, store, officer_, cycle_, std::nullopt, std::nullopt));
  auto listed = public_announcements(*app_, store, demo_.county_code);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, a->id);

  // Two objections, to row 1 and row 2; the public's actor has no user.
  at(2026, 12, 2);
  Actor anyone = system_actor("anonymous");
  anyone.ip = "203.0.113.9";
  auto bad_row = submit_objection(*app_, store, anyone, a->id, 3, "此行有误", std::nullopt);
  ASSERT_FALSE(bad_row);
  EXPECT_EQ(bad_row.error().where.column, "entry_no");
  auto id_like = submit_objection(*app_, store, anyone, a->id, 1, "身份证 620102201501011234", std::nullopt);
  ASSERT_FALSE(id_like);
  EXPECT_EQ(id_like.error().where.column, "text");
  auto first = submit_objection(*app_, store, anyone, a->id, 1, "该生家中新购轿车，情况与申请不符", std::nullopt);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->objection.answer_due_on, "2026-12-07");  // Wed + 3 working days = Monday
  auto second = submit_objection(*app_, store, anyone, a->id, 2, "该生父母均在外务工收入较高", std::string("王老师"));
  ASSERT_TRUE(second) << second.error().describe();

  auto too_soon = submit_filing(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_FALSE(too_soon);
  EXPECT_EQ(too_soon.error().code, "RULE");

  // Upheld: row 1's student leaves the list; the change is announced again.
  auto need_level = answer_objection(*app_, store, officer_, first->objection.id, true, "经核实情况属实", std::nullopt);
  ASSERT_FALSE(need_level);
  EXPECT_EQ(need_level.error().where.column, "level");
  auto upheld = answer_objection(*app_, store, officer_, first->objection.id, true, "经核实情况属实，取消资助",
                                 EntryChange(std::optional<int>()));
  ASSERT_TRUE(upheld) << upheld.error().describe();
  EXPECT_EQ(upheld->state, "UPHELD");
  auto all = list_announcements(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const AnnouncementView& change = (*all)[1];
  EXPECT_EQ(change.kind, "change");
  EXPECT_EQ(change.ends_on, "2026-12-09");
  ASSERT_EQ(change.rows.size(), 1u);
  EXPECT_EQ(change.rows[0].change, "取消");
  EXPECT_EQ(change.student_ids[0], a->student_ids[0]);

  // Dismissed, appealed by receipt, decided by the county (not the school).
  auto dismissed = answer_objection(*app_, store, officer_, second->objection.id, false, "经家访核实，家庭确有困难",
                                    std::nullopt);
  ASSERT_TRUE(dismissed) << dismissed.error().describe();
  EXPECT_EQ(dismissed->appeal_due_on, std::optional<std::string>("2026-12-07"));
  EXPECT_TRUE(dismissed->open) << "the appeal window keeps it open";
  auto status = objection_by_receipt(*app_, store, second->receipt);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, "DISMISSED");
  EXPECT_FALSE(status->student_id.has_value()) << "the objector does not see the student";
  auto appealed = appeal_objection(*app_, store, anyone, second->receipt, "学校答复不实，请区县复核");
  ASSERT_TRUE(appealed) << appealed.error().describe();
  EXPECT_EQ(appealed->state, "APPEALED");
  EXPECT_FALSE(decide_appeal(*app_, store, officer_, second->objection.id, false, "维持", std::nullopt));

  at(2026, 12, 10);  // both periods over: taken down
  auto gone = public_announcement(*app_, store, a->id);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "NOT_FOUND");
  auto none_public = public_announcements(*app_, store, demo_.county_code);
  ASSERT_TRUE(none_public);
  EXPECT_TRUE(none_public->empty());
  auto overdue = list_objections(*app_, store, county_, cycle_, std::nullopt);
  ASSERT_TRUE(overdue);
  ASSERT_EQ(overdue->size(), 2u);
  EXPECT_TRUE((*overdue)[1].overdue) << "the county's decision was due 2026-12-07";
  auto blocked = submit_filing(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_FALSE(blocked);
  EXPECT_NE(blocked.error().message.find("异议"), std::string::npos) << blocked.error().message;
  auto decided = decide_appeal(*app_, store, county_, second->objection.id, false, "经复核，维持学校答复", std::nullopt);
  ASSERT_TRUE(decided) << decided.error().describe();
  EXPECT_EQ(decided->state, "APPEAL_DISMISSED");
  EXPECT_FALSE(decided->open);

  // Filed, returned, revised, announced again, filed and approved.
  auto filed = submit_filing(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_TRUE(filed) << filed.error().describe();
  EXPECT_EQ(filed->entries, 1);
  EXPECT_EQ(filed->total, "1000.00");
  EXPECT_FALSE(approve_filing(*app_, store, officer_, filed->id)) << "a school does not file its own list";
  EXPECT_FALSE(return_filing(*app_, store, county_, filed->id, ""));
  auto returned = return_filing(*app_, store, county_, filed->id, "请补充家访记录后重新评议");
  ASSERT_TRUE(returned) << returned.error().describe();
  EXPECT_EQ(returned->state, "RETURNED");
  auto unvoted = revise_entry(*app_, store, officer_, cycle_, kept, 2, "补充家访后评议为二级");
  ASSERT_FALSE(unvoted);
  EXPECT_NE(unvoted.error().message.find("投票人数不足"), std::string::npos) << unvoted.error().message;
  panel_votes(store, kept, 2);
  auto revised = revise_entry(*app_, store, officer_, cycle_, kept, 2, "补充家访后评议为二级");
  ASSERT_TRUE(revised) << revised.error().describe();
  auto unannounced = submit_filing(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_FALSE(unannounced);
  EXPECT_NE(unannounced.error().message.find("须先公示"), std::string::npos) << unannounced.error().message;
  auto again = announce(*app_, store, officer_, cycle_, std::nullopt, std::nullopt);
  ASSERT_TRUE(again) << again.error().describe();
  ASSERT_EQ(again->rows.size(), 1u);
  EXPECT_EQ(again->rows[0].change, "调整");
  at(2026, 12, 18);
  auto refiled = submit_filing(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_TRUE(refiled) << refiled.error().describe();
  auto approved = approve_filing(*app_, store, county_, refiled->id);
  ASSERT_TRUE(approved) << approved.error().describe();
  EXPECT_EQ(approved->state, "APPROVED");
  EXPECT_EQ(approved->total, "1500.00");
  auto frozen = get_filing(*app_, store, county_, refiled->id);
  ASSERT_TRUE(frozen);
  EXPECT_EQ(crypto::to_hex(crypto::sm3(frozen->snapshot)), frozen->snapshot_sm3);
  auto entries = read_list_snapshot(frozen->snapshot, frozen->id);
  ASSERT_TRUE(entries) << entries.error().describe();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].student_id, kept);
  EXPECT_EQ((*entries)[0].terms[0].level, 2);
  EXPECT_EQ((*entries)[0].terms[0].amount_fen + (*entries)[0].terms[1].amount_fen, 150'000);
  EXPECT_NE((*entries)[0].source, "d") << "the revised entry rests on its change";
  auto corrupt = read_list_snapshot(R"({"entries":[{"student_id":"x"}]})", 7);
  ASSERT_FALSE(corrupt);
  EXPECT_EQ(corrupt.error().code, "DB_CORRUPT");
  auto& db = dynamic_cast<store::sqlite::SqliteStore&>(store).connection();
  EXPECT_FALSE(db.exec("UPDATE filing SET total_fen = 0"));
  EXPECT_FALSE(db.exec("UPDATE filing SET state = 'RETURNED' WHERE state = 'APPROVED'"));
  EXPECT_FALSE(db.exec("DELETE FROM list_change"));
  EXPECT_FALSE(db.exec("UPDATE announcement SET ends_on = '2030-01-01'"));
  EXPECT_FALSE(approve_filing(*app_, store, county_, refiled->id));

  // Term adjustment: only in the spring term; aid ends from term 2.
  auto autumn = open_adjustment(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_FALSE(autumn);
  EXPECT_EQ(autumn.error().code, "RULE");
  at(2027, 3, 2);
  auto opened = open_adjustment(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(opened->round, 2);
  auto no_decisions = decide(*app_, store, officer_, cycle_, kept, std::nullopt, "x");
  ASSERT_FALSE(no_decisions);
  panel_votes(store, kept, std::nullopt);
  auto ended = revise_entry(*app_, store, officer_, cycle_, kept, std::nullopt, "转学离校");
  ASSERT_TRUE(ended) << ended.error().describe();
  auto adjusted = announce(*app_, store, officer_, cycle_, std::nullopt, std::nullopt);
  ASSERT_TRUE(adjusted) << adjusted.error().describe();
  EXPECT_EQ(adjusted->round, 2);
  EXPECT_EQ(adjusted->rows[0].change, "取消");
  at(2027, 3, 15);
  auto term2 = submit_filing(*app_, store, officer_, cycle_, std::nullopt);
  ASSERT_TRUE(term2) << term2.error().describe();
  EXPECT_EQ(term2->round, 2);
  EXPECT_EQ(term2->total, "750.00") << "term 1 of level 2 only";
  ASSERT_TRUE(approve_filing(*app_, store, county_, term2->id));
  auto snapshot = get_filing(*app_, store, county_, term2->id);
  ASSERT_TRUE(snapshot);
  const auto json = boost::json::parse(snapshot->snapshot);
  const auto& entry = json.at("entries").at(0);
  EXPECT_EQ(entry.at("student_id").as_int64(), kept);
  EXPECT_EQ(entry.at("terms").at(0).at("amount_fen").as_int64(), 75'000);
  EXPECT_TRUE(entry.at("terms").at(1).at("level").is_null());

  auto overview = school_overview(*app_, store, county_, cycle_);
  ASSERT_TRUE(overview);
  bool seen = false;
  for (const auto& s : *overview) {
    if (s.school_code != demo_.objects.school_own) continue;
    seen = true;
    EXPECT_EQ(s.stage, "APPROVED");
    EXPECT_EQ(s.round, 2);
    EXPECT_EQ(s.objections, 2);
    EXPECT_EQ(s.objections_open, 0);
    EXPECT_EQ(s.candidates, static_cast<int64_t>(candidates_));
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace zizhu::app
