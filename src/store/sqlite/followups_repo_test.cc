// Follow-up records and feedback items in SQLite (migration 11): scoped and
// filtered listings, and the triggers that keep records as recorded and
// feedback as sent.
#include <gtest/gtest.h>

#include "store/sqlite/repo_test_util.h"

namespace zizhu::store::sqlite {
namespace {

using testing::build_tree;
using testing::open_or_die;
using testing::Tree;
using testing::user_input;

class FollowupsRepo : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.codec = &codec_;
    store_ = open_or_die(":memory:", options);
    ASSERT_TRUE(store_);
    t_ = build_tree(*store_);
    auto id = store_->create_cycle({t_.county, "2026-2027", "城关区 2026-2027 学年", 1000});
    ASSERT_TRUE(id) << id.error().describe();
    cycle_ = *id;
    auto officer = store_->create_user(user_input("school", t_.school_a1, {"school_officer"}));
    ASSERT_TRUE(officer) << officer.error().describe();
    officer_ = *officer;
    school_a1_path_ = (*store_->get_org_node(t_.school_a1))->path;
    school_a2_path_ = (*store_->get_org_node(t_.school_a2))->path;
  }

  int64_t student(int64_t school_id, const std::string& no, const std::string& name) {
    StudentInput s;
    s.student_no = SensitiveText(no);
    s.name = name;
    s.school_id = school_id;
    s.grade = 3;
    s.guardian_name = "家长";
    return store_->upsert_student(s)->id;
  }

  FollowupRecord followup(int64_t student_id, int64_t school_id, int term, std::string_view on) {
    FollowupRecord r;
    r.cycle_id = cycle_;
    r.student_id = student_id;
    r.school_id = school_id;
    r.term = term;
    r.kind = FollowupKind::kHomeVisit;
    r.happened_on = *parse_date(on);
    r.note = "家访，了解学习生活情况";
    r.recorded_by = officer_;
    r.recorded_at_ms = 5000;
    return r;
  }

  Feedback item(std::optional<int64_t> school_id, std::string_view receipt, std::string_view due) {
    Feedback f;
    f.county_id = t_.county;
    f.school_id = school_id;
    f.channel = "public";
    f.kind = "complaint";
    f.text = "公示张贴位置不显眼";
    f.receipt_hash = std::string(64 - receipt.size(), '0') + std::string(receipt);
    f.due_on = *parse_date(due);
    f.created_at_ms = 1000;
    f.updated_at_ms = 1000;
    return f;
  }

  store::testing::ScramblingCodec codec_;
  std::unique_ptr<SqliteStore> store_;
  Tree t_;
  int64_t cycle_ = 0;
  int64_t officer_ = 0;
  std::string school_a1_path_, school_a2_path_;
};

TEST_F(FollowupsRepo, RecordsAreScopedFilteredAndKeptAsRecorded) {
  const int64_t s1 = student(t_.school_a1, "J620102201500000001", "张小明");
  const int64_t s2 = student(t_.school_a1, "J620102201500000002", "李小红");
  const int64_t s3 = student(t_.school_a2, "J620102201500000003", "王小刚");
  auto first = store_->add_followup(followup(s1, t_.school_a1, 1, "2026-10-10"));
  ASSERT_TRUE(first) << first.error().describe();
  ASSERT_TRUE(store_->add_followup(followup(s1, t_.school_a1, 1, "2026-11-20")));
  ASSERT_TRUE(store_->add_followup(followup(s2, t_.school_a1, 2, "2027-03-02")));
  ASSERT_TRUE(store_->add_followup(followup(s3, t_.school_a2, 1, "2026-10-12")));

  auto county = store_->followups_page(cycle_, t_.county_path, {}, 0, 10);
  ASSERT_TRUE(county) << county.error().describe();
  EXPECT_EQ(county->total, 4);
  EXPECT_EQ(county->items[0].happened_on.iso(), "2027-03-02");  // newest first
  EXPECT_EQ(county->items[0].student_name, "李小红");
  EXPECT_EQ(county->items[0].school_code, "1620102001");
  EXPECT_EQ(county->items[0].recorded_by_name, "测试用户");
  EXPECT_EQ(county->items[0].kind, FollowupKind::kHomeVisit);

  auto school = store_->followups_page(cycle_, school_a2_path_, {}, 0, 10);
  ASSERT_EQ(school->total, 1);
  EXPECT_EQ(school->items[0].student_id, s3);
  FollowupFilter of_s1;
  of_s1.student_id = s1;
  EXPECT_EQ(store_->followups_page(cycle_, t_.county_path, of_s1, 0, 10)->total, 2);
  EXPECT_EQ(store_->followups_page(cycle_, school_a2_path_, of_s1, 0, 10)->total, 0);  // outside the scope
  FollowupFilter term2;
  term2.term = 2;
  term2.school_id = t_.school_a1;
  EXPECT_EQ(store_->followups_page(cycle_, t_.county_path, term2, 0, 10)->total, 1);
  EXPECT_EQ(store_->followups_page(cycle_, t_.county2_path, {}, 0, 10)->total, 0);
  auto paged = store_->followups_page(cycle_, t_.county_path, {}, 3, 2);
  ASSERT_TRUE(paged);
  EXPECT_EQ(paged->total, 4);
  EXPECT_EQ(paged->items.size(), 1u);

  EXPECT_EQ(*store_->followed_up_students(cycle_, t_.school_a1, 1), std::vector<int64_t>{s1});
  EXPECT_EQ(*store_->followed_up_students(cycle_, t_.school_a1, 2), std::vector<int64_t>{s2});
  EXPECT_TRUE(store_->followed_up_students(cycle_, t_.school_b, 1)->empty());

  EXPECT_FALSE(store_->connection().exec("UPDATE followup_record SET note = 'x'"));
  EXPECT_FALSE(store_->connection().exec("DELETE FROM followup_record"));
  auto bad = followup(s1, t_.school_a1, 3, "2026-10-10");
  EXPECT_FALSE(store_->add_followup(bad));  // CHECK (term IN (1, 2))
  EXPECT_EQ(store_->followups_page(cycle_, "/", {}, 0, 10)->total, 4);
}

TEST_F(FollowupsRepo, FeedbackIsScopedByItsSchoolOrCounty) {
  auto about_a1 = store_->add_feedback(item(t_.school_a1, "a1", "2026-11-09"));
  ASSERT_TRUE(about_a1) << about_a1.error().describe();
  auto about_county = store_->add_feedback(item(std::nullopt, "c0", "2026-11-09"));
  ASSERT_TRUE(about_county);
  auto about_a2 = store_->add_feedback(item(t_.school_a2, "a2", "2026-11-20"));
  ASSERT_TRUE(about_a2);
  auto again = store_->add_feedback(item(t_.school_a2, "a2", "2026-11-20"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "CONFLICT");

  EXPECT_EQ(store_->feedback_page(t_.county_path, {}, 0, 10)->total, 3);
  auto a1 = store_->feedback_page(school_a1_path_, {}, 0, 10);
  ASSERT_TRUE(a1) << a1.error().describe();
  ASSERT_EQ(a1->total, 1);  // not the county's own item, not the other school's
  EXPECT_EQ(a1->items[0].id, *about_a1);
  EXPECT_EQ(a1->items[0].school_code, "1620102001");
  EXPECT_EQ(a1->items[0].scope_path(), school_a1_path_);
  EXPECT_EQ(store_->feedback_page(t_.county2_path, {}, 0, 10)->total, 0);
  EXPECT_EQ(store_->feedback_page("/", {}, 0, 10)->items[0].id, *about_a2);  // newest first

  auto county_item = store_->get_feedback(*about_county);
  ASSERT_TRUE(county_item && *county_item);
  EXPECT_FALSE((*county_item)->school_id);
  EXPECT_EQ((*county_item)->scope_path(), t_.county_path);
  EXPECT_EQ((*county_item)->county_code, "620102");
  auto by_receipt = store_->find_feedback_by_receipt(std::string(62, '0') + "c0");
  ASSERT_TRUE(by_receipt && *by_receipt);
  EXPECT_EQ((*by_receipt)->id, *about_county);
  EXPECT_FALSE(*store_->find_feedback_by_receipt(std::string(64, 'f')));

  // Overdue: still waiting and due before the day given.
  FeedbackFilter overdue;
  overdue.due_before = *parse_date("2026-11-10");
  EXPECT_EQ(store_->feedback_page(t_.county_path, overdue, 0, 10)->total, 2);
  Feedback answered = **store_->get_feedback(*about_a1);
  answered.owner_user_id = officer_;
  answered.status = FeedbackStatus::kAnswered;
  answered.answer = "已调整到校门口公告栏";
  answered.answered_by = officer_;
  answered.answered_at_ms = 2000;
  answered.updated_at_ms = 2000;
  ASSERT_TRUE(store_->update_feedback(answered, FeedbackStatus::kOpen));
  EXPECT_EQ(store_->feedback_page(t_.county_path, overdue, 0, 10)->total, 1);
  FeedbackFilter done;
  done.status = FeedbackStatus::kAnswered;
  auto answered_page = store_->feedback_page(t_.county_path, done, 0, 10);
  ASSERT_EQ(answered_page->total, 1);
  EXPECT_EQ(answered_page->items[0].owner_username, "school");
  EXPECT_EQ(answered_page->items[0].answered_by_name, "测试用户");
  // A move from a state the item has left is refused (another request won).
  auto stale = store_->update_feedback(answered, FeedbackStatus::kOpen);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "NOT_FOUND");
  FeedbackFilter by_school;
  by_school.school_id = t_.school_a2;
  by_school.kind = "complaint";
  EXPECT_EQ(store_->feedback_page(t_.county_path, by_school, 0, 10)->total, 1);
  by_school.kind = "feedback";
  EXPECT_EQ(store_->feedback_page(t_.county_path, by_school, 0, 10)->total, 0);
}

TEST_F(FollowupsRepo, FeedbackIsKeptAsSentAndAnsweredOnce) {
  auto guardian = store_->create_user(user_input("parent", t_.school_a1, {"guardian"}));
  ASSERT_TRUE(guardian);
  Feedback mine = item(t_.school_a1, "g1", "2026-11-09");
  mine.channel = "guardian";
  mine.guardian_user_id = *guardian;
  auto id = store_->add_feedback(mine);
  ASSERT_TRUE(id) << id.error().describe();
  ASSERT_TRUE(store_->add_feedback(item(t_.school_a1, "p1", "2026-11-09")));
  auto of_guardian = store_->feedback_of_guardian(*guardian, 10);
  ASSERT_TRUE(of_guardian);
  ASSERT_EQ(of_guardian->size(), 1u);
  EXPECT_EQ((*of_guardian)[0].id, *id);
  EXPECT_EQ((*of_guardian)[0].guardian_name, "测试用户");
  Feedback orphan = item(t_.school_a1, "g2", "2026-11-09");
  orphan.channel = "guardian";  // a guardian's item names the account
  EXPECT_FALSE(store_->add_feedback(orphan));

  auto& db = store_->connection();
  const std::string where = " WHERE id = " + std::to_string(*id);
  EXPECT_FALSE(db.exec("UPDATE feedback SET text = '改过的内容'" + where));
  EXPECT_FALSE(db.exec("UPDATE feedback SET due_on = '2027-01-01'" + where));
  EXPECT_FALSE(db.exec("UPDATE feedback SET status = 'ANSWERED'" + where));  // no answer: CHECK
  EXPECT_FALSE(db.exec("DELETE FROM feedback"));
  ASSERT_TRUE(db.exec("UPDATE feedback SET status = 'ANSWERED', answer = '已答复'" + where));
  EXPECT_FALSE(db.exec("UPDATE feedback SET answer = '另一个答复'" + where));
  ASSERT_TRUE(db.exec("UPDATE feedback SET status = 'CLOSED'" + where));
  EXPECT_FALSE(db.exec("UPDATE feedback SET status = 'OPEN'" + where));
  EXPECT_FALSE(db.exec("UPDATE feedback SET owner_user_id = NULL" + where));
  EXPECT_EQ((*store_->get_feedback(*id))->status, FeedbackStatus::kClosed);
}

}  // namespace
}  // namespace zizhu::store::sqlite
