#include <gtest/gtest.h>

#include "store/sqlite/repo_test_util.h"

namespace zizhu::store::sqlite {
namespace {

using testing::build_tree;
using testing::open_or_die;
using testing::Tree;

class Cycles : public ::testing::Test {
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
  }

  int64_t student(int64_t school_id, const std::string& no) {
    StudentInput s;
    s.student_no = SensitiveText(no);
    s.name = "学生";
    s.school_id = school_id;
    s.grade = 3;
    s.guardian_name = "家长";
    return store_->upsert_student(s)->id;
  }

  int64_t count(const std::string& sql) {
    auto stmt = store_->connection().prepare(sql);
    EXPECT_TRUE(stmt && *stmt->step());
    return stmt->int_at(0);
  }

  store::testing::ScramblingCodec codec_;
  std::unique_ptr<SqliteStore> store_;
  Tree t_;
  int64_t cycle_ = 0;
};

TEST_F(Cycles, OnePerCountyAndYearAndSeenFromAboveAndBelow) {
  auto again = store_->create_cycle({t_.county, "2026-2027", "again", 2000});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "CONFLICT");
  ASSERT_TRUE(store_->create_cycle({t_.county2, "2026-2027", "七里河", 2000}));
  ASSERT_TRUE(store_->create_cycle({t_.county, "2027-2028", "next", 3000}));

  auto c = store_->get_cycle(cycle_);
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->state, CycleState::kDraft);
  EXPECT_EQ((*c)->county_code, "620102");
  EXPECT_EQ((*c)->county_path, t_.county_path);
  EXPECT_FALSE((*c)->policy_version);

  auto of_county = store_->cycles_for(t_.county_path);
  ASSERT_TRUE(of_county);
  ASSERT_EQ(of_county->size(), 2u);
  EXPECT_EQ((*of_county)[0].school_year, "2027-2028");  // newest first
  // A school sees its county's cycles; the province sees every county's.
  const std::string school_path = (*store_->get_org_node(t_.school_a1))->path;
  EXPECT_EQ(store_->cycles_for(school_path)->size(), 2u);
  EXPECT_EQ(store_->cycles_for("/62/")->size(), 3u);
  EXPECT_TRUE(store_->cycles_for(t_.bj_path)->empty());
}

TEST_F(Cycles, StateMovesOnlyFromTheStateGiven) {
  ASSERT_TRUE(store_->set_cycle_state(cycle_, CycleState::kDraft, CycleState::kOpen, 5));
  auto stale = store_->set_cycle_state(cycle_, CycleState::kDraft, CycleState::kOpen, 6);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, "NOT_FOUND");
  auto c = *store_->get_cycle(cycle_);
  EXPECT_EQ(c->state, CycleState::kOpen);
  EXPECT_EQ(c->updated_at_ms, 5);
  ASSERT_TRUE(store_->set_cycle_dates(cycle_, Date::from_ymd(2026, 9, 1), Date::from_ymd(2026, 9, 30), 7));
  c = *store_->get_cycle(cycle_);
  EXPECT_EQ(c->applications_close_on->iso(), "2026-09-30");
}

TEST_F(Cycles, PolicyVersionsAreKeptAndCannotChange) {
  EXPECT_EQ(*store_->add_policy_version({cycle_, 0, "a = 1", "h1", 9, 10}), 1);
  EXPECT_EQ(*store_->add_policy_version({cycle_, 0, "a = 2", "h2", 9, 11}), 2);
  EXPECT_EQ((*store_->get_cycle(cycle_))->policy_version, 2);
  auto versions = store_->policy_versions(cycle_);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].toml, "a = 1");
  EXPECT_EQ((*versions)[1].sm3, "h2");
  EXPECT_FALSE(store_->connection().exec("UPDATE cycle_policy SET toml = 'x'"));
  EXPECT_FALSE(store_->connection().exec("DELETE FROM cycle_policy"));
}

TEST_F(Cycles, BudgetsAreReplacedPerSchool) {
  ASSERT_TRUE(store_->set_budgets(cycle_, {{t_.school_a1, "", "", Fen::from_fen(100)},
                                           {t_.school_a2, "", "", Fen::from_fen(200)}}));
  ASSERT_TRUE(store_->set_budgets(cycle_, {{t_.school_a1, "", "", Fen::from_fen(150)}}));
  auto b = store_->budgets(cycle_);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].school_code, "1620102001");
  EXPECT_EQ((*b)[0].budget.value(), 150);
  EXPECT_EQ((*b)[1].budget.value(), 200);
  EXPECT_FALSE(store_->set_budgets(cycle_, {{t_.school_a1, "", "", Fen::from_fen(-1)}}));  // CHECK
}

TEST_F(Cycles, ListEntriesAreSealedAndFoundByIdNumber) {
  DeptListEntryInput e;
  e.row_number = 2;
  e.id_number = SensitiveText("620102201501010018");
  e.name = "张三";
  e.category = "DIBAO";
  e.valid_to = Date::from_ymd(2027, 6, 30);
  e.source = "民政局";
  DeptListEntryInput other = e;
  other.row_number = 3;
  other.id_number = SensitiveText("620102201601010014");
  auto id = store_->add_dept_list({cycle_, "民政局", "abc", 1, 7, 20}, {e, other});
  ASSERT_TRUE(id) << id.error().describe();
  auto imports = store_->dept_list_imports(cycle_);
  ASSERT_EQ(imports->size(), 1u);
  EXPECT_EQ((*imports)[0].accepted, 2);
  EXPECT_EQ((*imports)[0].rejected, 1);
  auto found = store_->dept_list_entries_for(cycle_, SensitiveText("620102201501010018"));
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].category, "DIBAO");
  EXPECT_EQ((*found)[0].valid_to->iso(), "2027-06-30");
  EXPECT_EQ((*found)[0].id_number.plain(), "620102201501010018");
  // Stored through the codec: no plain ID in the table.
  EXPECT_EQ(count("SELECT COUNT(*) FROM dept_list_entry WHERE id_number LIKE '%620102201501010018%'"), 0);
}

TEST_F(Cycles, ApplicationsOnePerStudentScopedAndPaged) {
  const int64_t s1 = student(t_.school_a1, "J620102201500000001");
  const int64_t s2 = student(t_.school_a2, "J620102201500000002");
  FamilyData f;
  f.household_size = 4;
  f.household_income = Fen::from_fen(1200000);
  f.claimed_categories = {"DIBAO", "DISABLED"};
  f.single_parent = true;
  f.siblings_in_school = 2;
  auto a1 = store_->create_application({cycle_, s1, t_.school_a1, "guardian", f, 1, 100});
  ASSERT_TRUE(a1) << a1.error().describe();
  ASSERT_TRUE(store_->create_application({cycle_, s2, t_.school_a2, "school", f, 2, 100}));
  auto dup = store_->create_application({cycle_, s1, t_.school_a1, "school", f, 2, 100});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, "CONFLICT");

  auto got = store_->get_application(*a1);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->family, f);
  EXPECT_EQ((*got)->channel, "guardian");

  f.claimed_categories.clear();
  f.single_parent.reset();
  ASSERT_TRUE(store_->update_application(*a1, f, ApplicationState::kWithdrawn, 3, 200));
  got = store_->get_application(*a1);
  EXPECT_EQ((*got)->family, f);
  EXPECT_EQ((*got)->state, ApplicationState::kWithdrawn);
  EXPECT_EQ((*got)->updated_at_ms, 200);

  EXPECT_EQ(store_->applications_page(cycle_, t_.county_path, {}, 0, 10)->total, 2);
  const std::string a2_path = (*store_->get_org_node(t_.school_a2))->path;
  auto of_a2 = store_->applications_page(cycle_, a2_path, {}, 0, 10);
  ASSERT_EQ(of_a2->items.size(), 1u);
  EXPECT_EQ(of_a2->items[0].student_id, s2);
  ApplicationFilter submitted;
  submitted.state = ApplicationState::kSubmitted;
  EXPECT_EQ(store_->applications_page(cycle_, t_.county_path, submitted, 0, 10)->total, 1);
  EXPECT_EQ(store_->applications_page(cycle_, t_.county2_path, {}, 0, 10)->total, 0);
}

}  // namespace
}  // namespace zizhu::store::sqlite
