// The engine on hand-built columns (no files): each test pins one rule of
// identify.md so that breaking the rule breaks the test.
#include "identify/engine.h"

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/resident_id.h"
#include "core/student_no.h"

namespace zizhu::identify {
namespace {

Policy default_policy() {
  auto p = load_policy(std::string(ZIZHU_SOURCE_DIR) + "/data/policy-default.toml");
  EXPECT_TRUE(p.has_value());
  return *p;
}

// Builds a Dataset one student at a time. Students are J numbers without an
// ID unless `id` is given (then a G number on that ID).
struct Builder {
  Dataset d;
  const Policy& policy;
  explicit Builder(const Policy& p) : policy(p) {
    d.file_names = {"students.csv", "lists.csv", "applications.csv"};
    d.applications_file = 2;
  }
  size_t school(const std::string& code, int64_t budget_fen) {
    d.school_codes.push_back(code);
    d.budget.push_back(Fen::from_fen(budget_fen));
    return d.school_codes.size() - 1;
  }
  size_t student(const std::string& no, size_t school, int grade, const std::string& id = "",
                 const std::string& guardian = "") {
    Students& s = d.students;
    s.no_key.push_back(*student_no_key(no));
    s.name.push_back(d.text.add("某"));
    s.school.push_back(static_cast<uint32_t>(school));
    s.grade.push_back(static_cast<uint8_t>(grade));
    s.boarding.push_back(0);
    s.gender.push_back(0);
    s.birth_days.push_back(kNoDate);
    s.has_id.push_back(id.empty() ? 0 : 1);
    s.id_key.push_back(id.empty() ? kNoKey : *resident_id_key(id));
    const auto info = id.empty() ? std::nullopt : resident_id_info(id, policy.reference_date);
    s.id_valid.push_back(info ? 1 : 0);
    s.id_birth_days.push_back(info ? info->birth.days() : kNoDate);
    s.id_male.push_back(info && info->male ? 1 : 0);
    s.id_mismatch.push_back(0);
    s.guardian_key.push_back(guardian.empty() ? kNoKey : *resident_id_key(guardian));
    s.card_value.push_back(0);
    s.card_digits.push_back(0);
    s.card_luhn_bad.push_back(0);
    s.row.push_back(static_cast<long>(s.size() + 1));
    return s.size() - 1;
  }
  void apply(const std::string& no, int size, int64_t income_fen, bool illness = false) {
    Applications& a = d.applications;
    a.student_no.push_back(d.side_text.add(no));
    a.no_key.push_back(student_no_key(no).value_or(kNoKey));
    a.household_size.push_back(size);
    a.income.push_back(Fen::from_fen(income_fen));
    a.claimed.push_back(0);
    a.claimed_unknown.push_back(0);
    a.serious_illness.push_back(illness ? 1 : 0);
    a.sudden_hardship.push_back(0);
    a.single_parent.push_back(0);
    a.siblings.push_back(-1);
    a.row.push_back(static_cast<long>(a.size() + 1));
  }
  void list(const std::string& id, const std::string& category, int32_t from = INT32_MIN, int32_t to = INT32_MAX) {
    ListEntries& l = d.lists;
    l.id_key.push_back(*resident_id_key(id));
    l.category.push_back(static_cast<uint8_t>(policy.category_index(category)));
    l.valid_from_days.push_back(from);
    l.valid_to_days.push_back(to);
    l.file.push_back(1);
    l.row.push_back(static_cast<long>(l.size() + 1));
    l.source.push_back(d.side_text.add(""));
  }
};

// Valid IDs (GB 11643 check characters), born 2018-01-01: age 8 in grade 3.
const std::string kId1 = "62010220180101001X";
const std::string kId2 = "620102201801010028";
const std::string kGuardian = "110105198001010016";

TEST(Engine, IncomeBracketIsComparedExactly) {
  const Policy p = default_policy();
  Builder b(p);
  const size_t s = b.school("1000000001", 0);
  b.student("J000000000000000001", s, 3);
  b.student("J000000000000000002", s, 3);
  b.apply("J000000000000000001", 3, 1199999);  // 3999.9966… per head: below 4000
  b.apply("J000000000000000002", 3, 1200000);  // exactly 4000 per head: not below 4000
  const Outcome o = decide(b.d, p, 1);
  EXPECT_EQ(o.score[0], 40);
  EXPECT_EQ(o.score[1], 25);
}

TEST(Engine, HouseholdCategoryMatchesTheGuardianButStudentCategoryDoesNot) {
  const Policy p = default_policy();
  Builder b(p);
  const size_t s = b.school("1000000001", 1000000);
  b.student("J000000000000000001", s, 3, "", kGuardian);
  b.student("J000000000000000002", s, 3, "", kGuardian);
  b.list(kGuardian, "POVERTY");
  b.list(kGuardian, "ORPHAN");  // match = student: the guardian's ID does not count
  const Outcome o = decide(b.d, p, 1);
  const uint64_t poverty = uint64_t{1} << p.category_index("POVERTY");
  EXPECT_EQ(o.verified[0], poverty);
  EXPECT_EQ(o.matched[0], poverty);
  EXPECT_EQ(o.score[0], 40);
  // min_level 2 lifts the level from 3 (score 40) to 2.
  EXPECT_EQ(p.levels[static_cast<size_t>(o.level[0])].number, 2);
  EXPECT_EQ(o.status[0], Status::kFunded);  // direct identification: no application needed
}

TEST(Engine, ListExpiredOnlyWhenNoEntryOfTheCategoryIsInForce) {
  const Policy p = default_policy();
  Builder b(p);
  const size_t s = b.school("1000000001", 0);
  b.student("G" + kId1, s, 3, kId1);
  b.student("G" + kId2, s, 3, kId2);
  const int32_t ref = p.reference_date.days();
  b.list(kId1, "DIBAO", INT32_MIN, ref - 1);  // expired the day before
  b.list(kId2, "DIBAO", INT32_MIN, ref - 1);
  b.list(kId2, "DIBAO", ref, ref);  // in force on the reference date only
  const Outcome o = decide(b.d, p, 1);
  EXPECT_TRUE(o.flags[0] & kListExpired);
  EXPECT_EQ(o.verified[0], 0u);
  EXPECT_FALSE(o.flags[1] & kListExpired);
  EXPECT_NE(o.verified[1], 0u);
}

TEST(Engine, DowngradeThenWaitlistThenNoBudget) {
  const Policy p = default_policy();
  Builder b(p);
  const size_t s = b.school("1000000001", 250000);  // 2500 yuan
  const size_t empty = b.school("1000000002", 0);
  b.student("J000000000000000001", s, 3);
  b.student("J000000000000000002", s, 3);
  b.student("J000000000000000003", s, 3);
  b.student("J000000000000000004", empty, 3);
  // Scores 55, 55, 40: levels 2, 2, 3; per head all 0, so 学籍号 decides.
  b.apply("J000000000000000001", 1, 0, true);
  b.apply("J000000000000000002", 1, 0, true);
  b.apply("J000000000000000003", 1, 0);
  b.apply("J000000000000000004", 1, 0);
  const Outcome o = decide(b.d, p, 1);
  EXPECT_EQ(o.status[0], Status::kFunded);
  EXPECT_EQ(o.amount[0].value(), 150000);
  EXPECT_EQ(o.status[1], Status::kFunded);  // 1000 left: level 3 fits
  EXPECT_TRUE(o.flags[1] & kDowngraded);
  EXPECT_EQ(p.levels[static_cast<size_t>(o.level[1])].number, 3);
  EXPECT_EQ(o.amount[1].value(), 100000);
  EXPECT_EQ(o.status[2], Status::kWaitlist);  // nothing left
  EXPECT_FALSE(o.flags[2] & kNoBudget);       // the budget was not 0
  EXPECT_EQ(o.rank[2], 3);
  EXPECT_EQ(p.levels[static_cast<size_t>(o.level[2])].number, 3);  // the assessed level
  EXPECT_TRUE(o.flags[3] & kNoBudget);
  EXPECT_EQ(o.schools[0].remaining.value(), 0);
  EXPECT_EQ(o.schools[0].funded_by_level, (std::vector<int64_t>{0, 1, 1}));
}

TEST(Engine, VerifiedBeforeBetterLevelAndNotEnrolled) {
  const Policy p = default_policy();
  Builder b(p);
  const size_t s = b.school("1000000001", 10000000);
  b.student("J000000000000000001", s, 3);            // score 55 (level 2), no category
  b.student("G" + kId1, s, 3, kId1);                 // MARTYR only: level 3, verified
  b.apply("J000000000000000001", 1, 0, true);
  b.apply("J000000000000000099", 1, 0);              // on no roster row
  b.list(kId1, "MARTYR");
  const Outcome o = decide(b.d, p, 1);
  EXPECT_EQ(o.rank[1], 1);
  EXPECT_EQ(o.rank[0], 2);
  ASSERT_EQ(o.not_enrolled.size(), 1u);
  EXPECT_EQ(o.not_enrolled[0], 1u);
}

TEST(Engine, DupEnrollmentAndSharedCardAndBlocking) {
  const Policy p = default_policy();
  Builder b(p);
  const size_t s = b.school("1000000001", 0);
  b.student("G" + kId1, s, 3, kId1);
  b.student("J000000000000000001", s, 3, kId1);  // the same valid ID
  for (int k = 0; k < 4; ++k) b.student("J00000000000000001" + std::to_string(k), s, 3);
  for (size_t k = 2; k < 6; ++k) {  // four students alone = four households on one card
    b.d.students.card_value[k] = 6222020000000000000u;
    b.d.students.card_digits[k] = 19;
  }
  const Outcome o = decide(b.d, p, 1);
  EXPECT_TRUE(o.flags[0] & kDupEnrollment);
  EXPECT_TRUE(o.flags[1] & kDupEnrollment);
  EXPECT_EQ(o.status[0], Status::kBlocked);
  for (size_t k = 2; k < 6; ++k) EXPECT_TRUE(o.flags[k] & kSharedBankCard);
  EXPECT_EQ(o.status[2], Status::kNotApplied);  // a warning, not blocking

  // Three of the four share a guardian: two households, under the limit.
  for (size_t k = 2; k < 5; ++k) b.d.students.guardian_key[k] = *resident_id_key(kGuardian);
  const Outcome o2 = decide(b.d, p, 1);
  for (size_t k = 2; k < 6; ++k) EXPECT_FALSE(o2.flags[k] & kSharedBankCard);
}

TEST(Engine, SameOutcomeWhateverTheThreadCount) {
  const Policy p = default_policy();
  Builder b(p);
  for (int sc = 0; sc < 40; ++sc) b.school("10000000" + std::to_string(10 + sc), 100000 * (sc % 7));
  char no[32];
  for (int k = 0; k < 120000; ++k) {
    std::snprintf(no, sizeof no, "J%018d", k);
    b.student(no, static_cast<size_t>(k % 40), 1 + k % 9);
    if (k % 3 == 0) b.apply(no, 1 + k % 5, (k * 7919) % 5000000, k % 11 == 0);
  }
  const Outcome one = decide(b.d, p, 1);
  const Outcome two = decide(b.d, p, 2);
  const Outcome three = decide(b.d, p, 3);
  for (const Outcome* o : {&two, &three}) {
    EXPECT_EQ(o->status, one.status);
    EXPECT_EQ(o->level, one.level);
    EXPECT_EQ(o->score, one.score);
    EXPECT_EQ(o->flags, one.flags);
    EXPECT_EQ(o->rank, one.rank);
    EXPECT_EQ(o->amount, one.amount);
  }
}

TEST(Engine, AssessLevelLiftsToMinLevel) {
  const Policy p = default_policy();
  const uint64_t orphan = uint64_t{1} << p.category_index("ORPHAN");
  EXPECT_EQ(assess_level(0, 0, p), -1);
  EXPECT_EQ(assess_level(25, 0, p), 2);        // level 3
  EXPECT_EQ(assess_level(0, orphan, p), 0);    // lifted to level 1
  EXPECT_EQ(assess_level(70, 0, p), 0);
}

}  // namespace
}  // namespace zizhu::identify
