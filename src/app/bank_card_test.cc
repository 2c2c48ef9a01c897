// A student's bank card changed by hand (app/students.h change_bank_card) on
// the demo county: the card, its change log (masked, for the payment
// approver's check) and the audit record are written together; everything
// refused changes nothing.
#include <gtest/gtest.h>

#include "app/demo_test_util.h"
#include "app/students.h"
#include "core/masking.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::app {
namespace {

class BankCard : public testing::DemoCounty {
 protected:
  Actor as(store::Store& store, const std::string& code, const std::string& key, Role role) {
    Actor a = actor_at(store, code, key);
    a.roles.add(role);
    return a;
  }

  // Rows in bank_card_change, of every student.
  static int64_t changes(store::Store& store) {
    auto& db = dynamic_cast<store::sqlite::SqliteStore&>(store).connection();
    auto stmt = db.prepare("SELECT COUNT(*) FROM bank_card_change");
    EXPECT_TRUE(stmt);
    EXPECT_TRUE(stmt->step());
    return stmt->int_at(0);
  }

  static int64_t audited(store::Store& store) {
    store::AuditFilter filter;
    filter.action = "student.bank_card";
    auto page = store.audit_page("/", filter, 0, 10);
    EXPECT_TRUE(page) << page.error().describe();
    return page ? page->total : -1;
  }

  static std::string card_of(store::Store& store, int64_t student_id) {
    auto s = store.get_student(student_id);
    EXPECT_TRUE(s && *s);
    return s && *s && (*s)->data.bank_card ? (*s)->data.bank_card->plain() : std::string();
  }
};

TEST_F(BankCard, ChangedWithItsLogAndAuditRecordOrNotAtAll) {
  auto lease = app_->store();
  ASSERT_TRUE(lease);
  store::Store& store = **lease;
  const int64_t now_ms = app_->now_ms() + 1000;
  app_->set_clock([now_ms] { return now_ms; });
  const Actor officer = as(store, demo_.objects.school_own, "school_officer", Role::kSchoolOfficer);
  const int64_t student = demo_.objects.student_own;
  const std::string old_card = card_of(store, student);
  const std::string new_card = old_card == "6217000011112222333" ? "6217000011112222334" : "6217000011112222333";
  ASSERT_EQ(changes(store), 0);

  auto done = change_bank_card(*app_, store, officer, student, new_card, "家长更换了银行卡");
  ASSERT_TRUE(done) << done.error().describe();
  EXPECT_TRUE(done->masked);
  EXPECT_EQ(done->id, student);
  EXPECT_EQ(done->bank_card, mask_bank_card(new_card));
  EXPECT_EQ(done->bank_card.find(new_card), std::string::npos);
  EXPECT_EQ(card_of(store, student), new_card);

  EXPECT_EQ(changes(store), 1);
  auto logged = store.bank_card_changes_since({student}, 0);
  ASSERT_TRUE(logged) << logged.error().describe();
  ASSERT_EQ(logged->size(), 1u);
  const auto& c = (*logged)[0];
  EXPECT_EQ(c.student_id, student);
  EXPECT_EQ(c.changed_at_ms, now_ms);
  EXPECT_EQ(c.changed_by, officer.user_id);
  EXPECT_EQ(c.old_masked, old_card.empty() ? std::string() : mask_bank_card(old_card));
  EXPECT_EQ(c.new_masked, mask_bank_card(new_card));
  EXPECT_EQ(c.reason, "家长更换了银行卡");

  store::AuditFilter filter;
  filter.action = "student.bank_card";
  auto audit = store.audit_page("/", filter, 0, 10);
  ASSERT_TRUE(audit) << audit.error().describe();
  ASSERT_EQ(audit->total, 1);
  EXPECT_EQ(audit->items[0].object_type, "student");
  EXPECT_EQ(audit->items[0].object_id, std::to_string(student));
  EXPECT_NE(audit->items[0].summary.find(mask_bank_card(new_card)), std::string::npos);
  EXPECT_NE(audit->items[0].summary.find("家长更换了银行卡"), std::string::npos);
  EXPECT_EQ(audit->items[0].summary.find(new_card), std::string::npos);
  if (!old_card.empty()) {
    EXPECT_EQ(audit->items[0].summary.find(old_card), std::string::npos);
  }

  // Every refusal below leaves the card, the log and the audit log as they are.
  auto refused = [&](const Actor& who, int64_t id, std::string_view card, std::string_view reason,
                     const std::string& code, const std::string& field) {
    auto r = change_bank_card(*app_, store, who, id, card, reason);
    ASSERT_FALSE(r) << card << " " << reason;
    EXPECT_EQ(r.error().code, code) << r.error().describe();
    EXPECT_EQ(r.error().where.column, field) << r.error().describe();
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_EQ(changes(store), 1);
    EXPECT_EQ(audited(store), 1);
    EXPECT_EQ(card_of(store, student), new_card);
  };
  const std::string other = "6228480000000000017";
  refused(officer, student, "12345", "换卡", "BAD_VALUE", "bank_card");
  refused(officer, student, "6228a80000000000017", "换卡", "BAD_VALUE", "bank_card");
  refused(officer, student, "", "换卡", "BAD_VALUE", "bank_card");
  refused(officer, student, other, "", "BAD_VALUE", "reason");
  refused(officer, student, other, std::string(kBankCardReasonBytesMax + 1, 'a'), "BAD_VALUE", "reason");
  refused(officer, student, other, "新卡 6228480000000000017", "BAD_VALUE", "reason");
  refused(officer, student, new_card, "再换一次", "RULE", "bank_card");
  // Outside the actor's subtree, or not there at all: the same answer.
  refused(officer, demo_.objects.student_other_school, other, "换卡", "NOT_FOUND", "");
  refused(officer, 999'999'999, other, "换卡", "NOT_FOUND", "");
  const Actor county = as(store, demo_.county_code, "county_officer", Role::kCountyOfficer);
  refused(county, demo_.objects.student_other_county, other, "换卡", "NOT_FOUND", "");
  // Roles without student.import.
  refused(as(store, demo_.objects.school_own, "reviewer", Role::kReviewer), student, other, "换卡", "FORBIDDEN", "");
  refused(as(store, demo_.objects.school_own, "guardian", Role::kGuardian), student, other, "换卡", "FORBIDDEN", "");
  refused(as(store, demo_.county_code, "finance", Role::kFinance), student, other, "换卡", "FORBIDDEN", "");
  const std::string card_other_school = card_of(store, demo_.objects.student_other_school);

  // The county officer may change a card of the county; a card typed in
  // groups of four is the same card. The newest change is what the check sees.
  app_->set_clock([now_ms] { return now_ms + 60'000; });
  auto again = change_bank_card(*app_, store, county, student, "6228 4800 0000 0000 017", "核实后更正");
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->bank_card, "6228 **** **** 0017");
  EXPECT_EQ(card_of(store, student), other);
  EXPECT_EQ(changes(store), 2);
  EXPECT_EQ(audited(store), 2);
  auto newest = store.bank_card_changes_since({student}, 0);
  ASSERT_TRUE(newest && newest->size() == 1u);
  EXPECT_EQ((*newest)[0].old_masked, mask_bank_card(new_card));
  EXPECT_EQ((*newest)[0].new_masked, "6228 **** **** 0017");
  EXPECT_EQ((*newest)[0].changed_by, county.user_id);
  EXPECT_EQ((*newest)[0].changed_at_ms, now_ms + 60'000);
  EXPECT_EQ(card_of(store, demo_.objects.student_other_school), card_other_school);
}

}  // namespace
}  // namespace zizhu::app
