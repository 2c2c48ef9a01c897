// Feedback and complaints (意见反馈) on the demo county: receipts and due
// dates in working days, who sees and handles which item, the moves OPEN →
// IN_PROGRESS → ANSWERED → CLOSED, overdue items. (The public rate limit is
// the route's: tests/api/followups.test.mjs.)
#include "app/feedback.h"

#include <gtest/gtest.h>

#include <cctype>

#include "app/demo_test_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::app {
namespace {

// Milliseconds of 10:00 China time (02:00 UTC) on the day.
int64_t china_ten_am(int year, int month, int day) {
  return int64_t{Date::from_ymd(year, month, day)->days()} * 86'400'000 + 2 * 3'600'000;
}

class FeedbackTest : public testing::DemoCounty {
 protected:
  void at(int64_t ms) {
    now_ms_ = ms;
    app_->set_clock([this] { return now_ms_; });
  }

  Actor anyone(std::string ip) {
    Actor a;
    a.username = "anonymous";
    a.ip = std::move(ip);
    return a;
  }

  Actor guardian(store::Store& store) {
    Actor a = actor_at(store, demo_.objects.school_own, "guardian");
    auto user = store.get_user(a.user_id);
    EXPECT_TRUE(user && *user);
    a.guardian_id = (*user)->guardian_id;
    return a;
  }

  // One of the guardian's children who attends the own school.
  int64_t child_at_own_school(store::Store& store) {
    auto school = store.find_school(demo_.objects.school_own);
    EXPECT_TRUE(school && *school);
    for (int64_t id : demo_.objects.guardian_children) {
      auto s = store.get_student_listing(id);
      if (s && *s && (*s)->school_id == (*school)->org_id) return id;
    }
    ADD_FAILURE() << "no child at the own school";
    return 0;
  }

  FeedbackInput complaint() {
    FeedbackInput in;
    in.kind = "complaint";
    in.text = "学校公示栏的资助名单张贴时间太短。";
    in.county_code = demo_.county_code;
    return in;
  }

  int64_t now_ms_ = 0;
};

TEST_F(FeedbackTest, ThePublicGetsAReceiptAndAnAnswerWithinFiveWorkingDays) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  // Wednesday 30 September 2026: 1-7 October are holidays, Saturday 10
  // October a make-up working day (data/calendar/cn-public-holidays.csv).
  at(china_ten_am(2026, 9, 30));
  FeedbackInput in = complaint();
  in.school_code = demo_.objects.school_own;
  in.contact_name = "王女士";
  auto sent = submit_public_feedback(*app_, store, anyone("198.51.100.7"), in);
  ASSERT_TRUE(sent) << sent.error().describe();
  EXPECT_EQ(sent->item.received_on, "2026-09-30");
  EXPECT_EQ(sent->item.due_on, "2026-10-13");
  EXPECT_EQ(sent->item.status, "OPEN");
  EXPECT_EQ(sent->item.channel, "public");
  EXPECT_EQ(sent->item.school_code, demo_.objects.school_own);
  EXPECT_EQ(sent->item.contact_name, "王女士");
  ASSERT_EQ(sent->receipt_code.size(), 14u);  // xxxx-xxxx-xxxx

  auto status = public_feedback_status(*app_, store, sent->receipt_code);
  ASSERT_TRUE(status) << status.error().describe();
  EXPECT_EQ(status->status, "OPEN");
  EXPECT_EQ(status->due_on, "2026-10-13");
  EXPECT_TRUE(status->answer.empty());
  // Typed with capitals and spaces, the code is the same code.
  std::string typed = sent->receipt_code;
  for (char& ch : typed) ch = ch == '-' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_TRUE(public_feedback_status(*app_, store, typed));
  EXPECT_EQ(public_feedback_status(*app_, store, "aaaa-bbbb-cccc").error().code, "NOT_FOUND");
  EXPECT_EQ(public_feedback_status(*app_, store, "../../etc").error().code, "NOT_FOUND");
  // Only the code's hash is kept.
  auto& db = dynamic_cast<store::sqlite::SqliteStore&>(store).connection();
  auto stmt = db.prepare("SELECT COUNT(*) FROM feedback WHERE receipt_hash = ?");
  ASSERT_TRUE(stmt);
  stmt->bind_text(1, sent->receipt_code);
  ASSERT_TRUE(stmt->step());
  EXPECT_EQ(stmt->int_at(0), 0);

  auto refused = [&](FeedbackInput bad, const std::string& code, const std::string& field) {
    auto r = submit_public_feedback(*app_, store, anyone("198.51.100.8"), bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code) << r.error().describe();
    EXPECT_EQ(r.error().where.column, field) << r.error().describe();
  };
  FeedbackInput bad = complaint();
  bad.text = "我的电话 13912345678，请回电";
  refused(bad, "BAD_VALUE", "text");
  bad = complaint();
  bad.kind = "praise";
  refused(bad, "BAD_VALUE", "kind");
  bad = complaint();
  bad.county_code.reset();
  refused(bad, "BAD_VALUE", "county_code");
  bad = complaint();
  bad.county_code = demo_.objects.school_own;  // a school is not a county
  refused(bad, "NOT_FOUND", "county_code");
  bad = complaint();
  bad.school_code = demo_.objects.school_other_county;
  refused(bad, "NOT_FOUND", "school_code");
}

TEST_F(FeedbackTest, SchoolAndCountyStaffHandleTheirItemsToTheEnd) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  at(china_ten_am(2026, 11, 2));  // Monday: due the Monday after
  const Actor county = actor_at(store, demo_.county_code, "county_officer");
  const Actor school = actor_at(store, demo_.objects.school_own, "school_officer");
  const Actor other_school = actor_at(store, demo_.objects.school_other, "school_officer");
  const Actor far = actor_at(store, demo_.other_county_code, "county_officer@other");
  const Actor parent = guardian(store);

  // The guardian about their child: the child's school handles it.
  FeedbackInput mine;
  mine.kind = "feedback";
  mine.text = "希望资助金到账后学校能通知家长。";
  mine.student_id = child_at_own_school(store);
  auto item = submit_guardian_feedback(*app_, store, parent, mine);
  ASSERT_TRUE(item) << item.error().describe();
  EXPECT_EQ(item->item.school_code, demo_.objects.school_own);
  EXPECT_EQ(item->item.channel, "guardian");
  EXPECT_EQ(item->item.due_on, "2026-11-09");
  FeedbackInput not_mine = mine;
  not_mine.student_id = demo_.objects.student_other_school;
  auto refused = submit_guardian_feedback(*app_, store, parent, not_mine);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().where.column, "student_id");
  // About the county in general (no child, no school): the county's.
  FeedbackInput general;
  general.kind = "complaint";
  general.text = "资助政策宣传不够，很多家长不知道可以申请。";
  auto about_county = submit_guardian_feedback(*app_, store, parent, general);
  ASSERT_TRUE(about_county) << about_county.error().describe();
  EXPECT_TRUE(about_county->item.school_code.empty());
  EXPECT_EQ(about_county->item.county_code, demo_.county_code);

  const int64_t id = item->item.id;
  EXPECT_TRUE(get_feedback(*app_, store, school, id));
  EXPECT_TRUE(get_feedback(*app_, store, county, id));
  EXPECT_EQ(get_feedback(*app_, store, other_school, id).error().code, "NOT_FOUND");
  EXPECT_EQ(get_feedback(*app_, store, far, id).error().code, "NOT_FOUND");
  EXPECT_EQ(get_feedback(*app_, store, school, about_county->item.id).error().code, "NOT_FOUND");
  EXPECT_TRUE(get_feedback(*app_, store, county, about_county->item.id));
  auto school_list = list_feedback(*app_, store, school, {}, {});
  ASSERT_TRUE(school_list) << school_list.error().describe();
  for (const auto& v : school_list->items) EXPECT_EQ(v.school_code, demo_.objects.school_own);
  auto county_list = list_feedback(*app_, store, county, {}, {});
  ASSERT_TRUE(county_list);
  EXPECT_GT(county_list->total, school_list->total);
  auto far_list = list_feedback(*app_, store, far, {}, {});
  ASSERT_TRUE(far_list);
  for (const auto& v : far_list->items) EXPECT_EQ(v.county_code, demo_.other_county_code);

  // The owner: someone who may handle it, of the assigner's own subtree.
  auto owner_refused = [&](const Actor& who, const std::string& username) {
    auto r = assign_feedback(*app_, store, who, id, username);
    ASSERT_FALSE(r) << username;
    EXPECT_EQ(r.error().where.column, "owner_username") << r.error().describe();
  };
  owner_refused(county, "county2");   // the other county's officer
  owner_refused(county, "reviewer");  // may not handle feedback
  owner_refused(county, "nobody");
  owner_refused(school, "county");    // above the school officer
  auto assigned = assign_feedback(*app_, store, county, id, "school");
  ASSERT_TRUE(assigned) << assigned.error().describe();
  EXPECT_EQ(assigned->status, "IN_PROGRESS");
  EXPECT_EQ(assigned->owner_username, "school");
  EXPECT_EQ(assign_feedback(*app_, store, other_school, id, "school").error().code, "NOT_FOUND");

  // Past its due date and not answered: overdue.
  at(china_ten_am(2026, 11, 10));
  FeedbackQuery overdue;
  overdue.overdue = true;
  auto late = list_feedback(*app_, store, county, overdue, {});
  ASSERT_TRUE(late);
  bool found = false;
  for (const auto& v : late->items) {
    EXPECT_TRUE(v.overdue);
    found = found || v.id == id;
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(get_feedback(*app_, store, school, id)->overdue);

  EXPECT_EQ(close_feedback(*app_, store, school, id).error().code, "STATE_CONFLICT");  // answer first
  auto empty = answer_feedback(*app_, store, school, id, "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().where.column, "answer");
  auto answered = answer_feedback(*app_, store, school, id, "已与家长联系，资助金到账后由班主任通知。");
  ASSERT_TRUE(answered) << answered.error().describe();
  EXPECT_EQ(answered->status, "ANSWERED");
  EXPECT_EQ(answered->answered_on, "2026-11-10");
  EXPECT_FALSE(answered->overdue);
  EXPECT_EQ(answer_feedback(*app_, store, county, id, "再答一次").error().code, "STATE_CONFLICT");
  EXPECT_EQ(assign_feedback(*app_, store, county, id, "school").error().code, "STATE_CONFLICT");
  auto closed = close_feedback(*app_, store, county, id);
  ASSERT_TRUE(closed) << closed.error().describe();
  EXPECT_EQ(closed->status, "CLOSED");
  EXPECT_EQ(close_feedback(*app_, store, county, id).error().code, "STATE_CONFLICT");

  // The guardian sees their items and the answer, newest first.
  auto theirs = guardian_feedback(*app_, store, parent);
  ASSERT_TRUE(theirs);
  ASSERT_GE(theirs->size(), 2u);
  EXPECT_EQ((*theirs)[0].id, about_county->item.id);
  EXPECT_EQ((*theirs)[1].answer, "已与家长联系，资助金到账后由班主任通知。");

  // Every move is in the audit log.
  store::AuditFilter of_item;
  of_item.object_type = "feedback";
  of_item.object_id = std::to_string(id);
  auto audit = store.audit_page("/", of_item, 0, 10);
  ASSERT_TRUE(audit);
  std::vector<std::string> actions;
  for (const auto& r : audit->items) actions.push_back(r.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"feedback.close", "feedback.answer", "feedback.assign",
                                               "feedback.submit"}));
}

TEST_F(FeedbackTest, StaffRecordItemsReceivedByPhoneOrInPerson) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  const Actor county = actor_at(store, demo_.county_code, "county_officer");
  const Actor school = actor_at(store, demo_.objects.school_own, "school_officer");
  FeedbackInput in;
  in.kind = "complaint";
  in.text = "家长来电反映评审结果未及时告知。";
  in.contact_name = "李先生";
  auto at_school = submit_staff_feedback(*app_, store, school, in);
  ASSERT_TRUE(at_school) << at_school.error().describe();
  EXPECT_EQ(at_school->item.school_code, demo_.objects.school_own);  // a school's staff: their school
  EXPECT_EQ(at_school->item.channel, "staff");
  EXPECT_FALSE(at_school->receipt_code.empty());
  auto at_county = submit_staff_feedback(*app_, store, county, in);
  ASSERT_TRUE(at_county);
  EXPECT_TRUE(at_county->item.school_code.empty());  // the county's staff: the county
  FeedbackInput elsewhere = in;
  elsewhere.school_code = demo_.objects.school_other;
  EXPECT_EQ(submit_staff_feedback(*app_, store, school, elsewhere).error().code, "NOT_FOUND");
  EXPECT_TRUE(submit_staff_feedback(*app_, store, county, elsewhere));
  FeedbackInput about_student = in;
  about_student.student_id = demo_.objects.student_other_county;
  EXPECT_EQ(submit_staff_feedback(*app_, store, county, about_student).error().code, "NOT_FOUND");
  FeedbackInput id_number = in;
  id_number.contact_name = "身份证 620102201501011234";
  EXPECT_EQ(submit_staff_feedback(*app_, store, county, id_number).error().where.column, "contact_name");
}

}  // namespace
}  // namespace zizhu::app
