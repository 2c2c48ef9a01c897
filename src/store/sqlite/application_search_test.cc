// The staff's search over a cycle's applications (applications_page with
// the text and decision filters): each filter alone and together, the total
// of the whole filtered set whatever the page, and the data scope under every
// filter.
#include <gtest/gtest.h>

#include <set>

#include "store/sqlite/repo_test_util.h"

namespace zizhu::store::sqlite {
namespace {

using testing::build_tree;
using testing::open_or_die;
using testing::Tree;

class ApplicationSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.codec = &codec_;
    store_ = open_or_die(":memory:", options);
    ASSERT_TRUE(store_);
    t_ = build_tree(*store_);
    cycle_ = *store_->create_cycle({t_.county, "2026-2027", "城关区 2026-2027 学年", 1000});
    cycle2_ = *store_->create_cycle({t_.county2, "2026-2027", "七里河区 2026-2027 学年", 1000});
    IdentificationRunInput run;
    run.cycle_id = cycle_;
    run.policy_version = 1;
    run.results_sm3 = run.schools_sm3 = std::string(64, '0');
    auto id = store_->add_identification_run(run, {});
    ASSERT_TRUE(id) << id.error().describe();
    run_ = *id;
  }

  // A student with an application in `cycle` (SUBMITTED unless withdrawn).
  int64_t applicant(int64_t cycle, int64_t school_id, const std::string& no, const std::string& name,
                    const std::string& class_name, bool withdrawn = false) {
    StudentInput s;
    s.student_no = SensitiveText(no);
    s.name = name;
    s.school_id = school_id;
    s.grade = 3;
    s.class_name = class_name;
    s.guardian_name = "家长";
    const int64_t student = store_->upsert_student(s)->id;
    FamilyData f;
    f.household_size = 3;
    f.household_income = Fen::from_fen(800000);
    auto a = store_->create_application({cycle, student, school_id, "school", f, 1, 100});
    EXPECT_TRUE(a) << a.error().describe();
    if (withdrawn) {
      EXPECT_TRUE(store_->update_application(*a, f, ApplicationState::kWithdrawn, 1, 200));
    }
    return student;
  }

  void decide(int64_t student, int64_t school_id, std::optional<int> level) {
    ReviewDecision d;
    d.cycle_id = cycle_;
    d.student_id = student;
    d.school_id = school_id;
    d.level = level;
    d.amount = Fen::from_fen(level ? 100000 : 0);
    d.run_id = run_;
    d.votes = "none:0";
    d.decided_by = 1;
    d.decided_at_ms = 300;
    auto ok = store_->add_decision(d);
    ASSERT_TRUE(ok) << ok.error().describe();
  }

  // The students of the applications found, and the total, in the county.
  std::pair<int64_t, std::set<int64_t>> found(const ApplicationFilter& f, const std::string& path = "") {
    auto page = store_->applications_page(cycle_, path.empty() ? t_.county_path : path, f, 0, 100);
    EXPECT_TRUE(page) << page.error().describe();
    std::set<int64_t> students;
    for (const auto& a : page->items) students.insert(a.student_id);
    return {page->total, students};
  }

  store::testing::ScramblingCodec codec_;
  std::unique_ptr<SqliteStore> store_;
  Tree t_;
  int64_t cycle_ = 0, cycle2_ = 0, run_ = 0;
};

TEST_F(ApplicationSearch, ByNameClassNumberAndDecisionWithinTheScope) {
  const int64_t zhang_san = applicant(cycle_, t_.school_a1, "J620102201500000001", "张三", "3年级1班");
  const int64_t zhang_sanfeng = applicant(cycle_, t_.school_a1, "J620102201500000002", "张三丰", "3年级2班");
  const int64_t li_si = applicant(cycle_, t_.school_a1, "J620102201500000003", "李四", "3年级1班", true);
  const int64_t wang_zhang = applicant(cycle_, t_.school_a2, "J620102201500000004", "王张", "4年级1班");
  // Another county's cycle has a 张三 too: never in this cycle's answers.
  applicant(cycle2_, t_.school_b, "J620103201500000005", "张三", "3年级1班");
  decide(zhang_san, t_.school_a1, 1);
  decide(zhang_sanfeng, t_.school_a1, std::nullopt);

  ApplicationFilter f;
  f.name_part = "张三";
  EXPECT_EQ(found(f), (std::pair<int64_t, std::set<int64_t>>{2, {zhang_san, zhang_sanfeng}}));
  f.name_part = "张";  // a part anywhere in the name, not only its start
  EXPECT_EQ(found(f).second, (std::set<int64_t>{zhang_san, zhang_sanfeng, wang_zhang}));
  f.name_part = "%";  // no wildcards: matched as written
  EXPECT_EQ(found(f).first, 0);

  ApplicationFilter by_class;
  by_class.class_part = "1班";
  EXPECT_EQ(found(by_class).second, (std::set<int64_t>{zhang_san, li_si, wang_zhang}));
  by_class.name_part = "张";
  EXPECT_EQ(found(by_class).second, (std::set<int64_t>{zhang_san, wang_zhang}));
  by_class.state = ApplicationState::kSubmitted;
  by_class.school_id = t_.school_a2;
  EXPECT_EQ(found(by_class).second, (std::set<int64_t>{wang_zhang}));

  ApplicationFilter by_no;
  by_no.student_no = SensitiveText("J620102201500000003");
  EXPECT_EQ(found(by_no).second, (std::set<int64_t>{li_si}));
  by_no.student_no = SensitiveText("J620103201500000005");  // the other county's student
  EXPECT_EQ(found(by_no).first, 0);

  ApplicationFilter d;
  d.decision = ApplicationDecision::kFunded;
  EXPECT_EQ(found(d).second, (std::set<int64_t>{zhang_san}));
  d.decision = ApplicationDecision::kNotFunded;
  EXPECT_EQ(found(d).second, (std::set<int64_t>{zhang_sanfeng}));
  d.decision = ApplicationDecision::kUndecided;
  EXPECT_EQ(found(d).second, (std::set<int64_t>{li_si, wang_zhang}));
  d.name_part = "张";
  EXPECT_EQ(found(d).second, (std::set<int64_t>{wang_zhang}));

  // A school's officer searches within the school only.
  const std::string a1_path = (*store_->get_org_node(t_.school_a1))->path;
  ApplicationFilter zhang;
  zhang.name_part = "张";
  EXPECT_EQ(found(zhang, a1_path).second, (std::set<int64_t>{zhang_san, zhang_sanfeng}));
  zhang.school_id = t_.school_a2;  // another school named from inside one: nothing
  EXPECT_EQ(found(zhang, a1_path).first, 0);
}

TEST_F(ApplicationSearch, TheTotalCountsTheWholeFilterOnEveryPage) {
  std::set<int64_t> lis;
  for (int i = 0; i < 7; ++i) {
    const std::string no = "J62010220150000010" + std::to_string(i);
    lis.insert(applicant(cycle_, i % 2 == 0 ? t_.school_a1 : t_.school_a2, no, "李" + std::to_string(i), "1班"));
  }
  applicant(cycle_, t_.school_a1, "J620102201500000200", "赵一", "1班");
  ApplicationFilter f;
  f.name_part = "李";
  std::set<int64_t> seen;
  int64_t last_school = 0, last_id = 0;
  for (int64_t offset = 0; offset < 9; offset += 3) {
    auto page = store_->applications_page(cycle_, t_.county_path, f, offset, 3);
    ASSERT_TRUE(page) << page.error().describe();
    EXPECT_EQ(page->total, 7);
    EXPECT_EQ(page->items.size(), offset < 6 ? 3u : 1u);
    for (const auto& a : page->items) {
      // (school, id) order across the pages: none twice, none skipped.
      EXPECT_TRUE(a.school_id > last_school || (a.school_id == last_school && a.id > last_id));
      last_school = a.school_id;
      last_id = a.id;
      seen.insert(a.student_id);
    }
  }
  EXPECT_EQ(seen, lis);
}

}  // namespace
}  // namespace zizhu::store::sqlite
