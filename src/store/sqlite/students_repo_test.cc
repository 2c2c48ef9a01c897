#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "store/sqlite/repo_test_util.h"
#include "store/sqlite/student_rows.h"

namespace zizhu::store::sqlite {
namespace {

using testing::build_tree;
using testing::open_or_die;
using testing::Tree;

StudentInput student(int64_t school_id, const std::string& no, const std::string& name, int grade,
                     const std::string& class_name) {
  StudentInput s;
  s.student_no = SensitiveText(no);
  s.name = name;
  s.id_number = SensitiveText("620102201501010018");
  s.school_id = school_id;
  s.grade = grade;
  s.class_name = class_name;
  s.guardian_name = "家长";
  return s;
}

class StudentPages : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.codec = &codec_;  // lookups must go through the codec
    store_ = open_or_die(":memory:", options);
    ASSERT_TRUE(store_);
    t_ = build_tree(*store_);
    const std::map<int64_t, std::string> code = {{t_.school_a1, "1620102001"},
                                                 {t_.school_a2, "1620102002"},
                                                 {t_.school_b, "1620103001"},
                                                 {t_.school_bj, "1110101001"}};
    // Interleaved, so that id order is not school order: a1 gets 6, a2 4,
    // b 3, Beijing 2.
    const std::vector<int64_t> schools = {t_.school_a1, t_.school_a2, t_.school_b, t_.school_bj, t_.school_a1,
                                          t_.school_a2, t_.school_b,  t_.school_bj, t_.school_a1, t_.school_a2,
                                          t_.school_b,  t_.school_a1, t_.school_a2, t_.school_a1, t_.school_a1};
    const std::vector<std::string> names = {"张三", "李四", "王五", "张小明", "赵六"};
    for (size_t i = 0; i < schools.size(); ++i) {
      const std::string no = "G" + std::to_string(620102201500000000 + static_cast<int64_t>(i));
      auto id = store_->upsert_student(
          student(schools[i], no, names[i % names.size()], 1 + static_cast<int>(i % 3), i % 2 ? "1班" : "2班"));
      ASSERT_TRUE(id) << id.error().describe();
      ids_.push_back({code.at(schools[i]), id->id});
    }
    std::sort(ids_.begin(), ids_.end());
  }

  // The expected (school code, id) order of the students whose school code
  // starts with `code_prefix`.
  std::vector<int64_t> expected(const std::string& code_prefix) const {
    std::vector<int64_t> out;
    for (const auto& [code, id] : ids_) {
      if (code.rfind(code_prefix, 0) == 0) out.push_back(id);
    }
    return out;
  }

  std::vector<int64_t> all_ids(std::string_view path, const StudentFilter& filter, int64_t page_size) {
    std::vector<int64_t> out;
    for (int64_t offset = 0; offset < 100; offset += page_size) {
      auto page = store_->students_page(path, filter, offset, page_size);
      EXPECT_TRUE(page) << page.error().describe();
      if (!page || page->items.empty()) break;
      for (const auto& s : page->items) out.push_back(s.id);
    }
    return out;
  }

  store::testing::ScramblingCodec codec_;
  std::unique_ptr<SqliteStore> store_;
  Tree t_;
  std::vector<std::pair<std::string, int64_t>> ids_;
};

TEST_F(StudentPages, ScopeAndOrder) {
  EXPECT_EQ(all_ids("/", {}, 4), expected(""));
  EXPECT_EQ(all_ids(t_.county_path, {}, 3), expected("1620102"));
  EXPECT_EQ(all_ids(t_.county2_path, {}, 3), expected("1620103"));
  EXPECT_EQ(all_ids(t_.bj_path, {}, 3), expected("1110101"));
  EXPECT_EQ(all_ids("/62/", {}, 5), expected("162"));
  // A school's officer sees the school.
  EXPECT_EQ(all_ids((*store_->get_org_node(t_.school_a2))->path, {}, 2), expected("1620102002"));
}

TEST_F(StudentPages, TotalsCoverEveryPage) {
  auto first = store_->students_page(t_.county_path, {}, 0, 4);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->total, 10);
  EXPECT_EQ(first->items.size(), 4u);
  auto last = store_->students_page(t_.county_path, {}, 8, 4);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->total, 10);
  EXPECT_EQ(last->items.size(), 2u);
  auto beyond = store_->students_page(t_.county_path, {}, 40, 4);
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->total, 10);
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(store_->students_page("/", {}, 0, 1)->total, 15);

  for (auto [offset, limit] : {std::pair<int64_t, int64_t>{-1, 10}, {0, -1}, {0, kPageRowsMax + 1}}) {
    auto bad = store_->students_page("/", {}, offset, limit);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "BAD_VALUE");
  }
}

TEST_F(StudentPages, KeysetPagingMatchesOffsetPaging) {
  const std::vector<int64_t> want = expected("");
  std::vector<int64_t> got;
  StudentFilter f;
  for (int i = 0; i < 10; ++i) {
    auto page = store_->students_page("/", f, 0, 4);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->total, 15);
    if (page->items.empty()) break;
    for (const auto& s : page->items) got.push_back(s.id);
    const StudentListing& last = page->items.back();
    f.after = StudentKey{(*store_->get_org_node(last.school_id))->code, last.id};
  }
  EXPECT_EQ(got, want);
}

TEST_F(StudentPages, Filters) {
  StudentFilter school;
  school.school_code = "1620102002";
  EXPECT_EQ(all_ids("/", school, 10), expected("1620102002"));
  // A school outside the scope is not found through the filter either.
  EXPECT_TRUE(all_ids(t_.county2_path, school, 10).empty());

  StudentFilter grade;
  grade.grade = 2;
  auto page = store_->students_page("/", grade, 0, 100);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 5);
  for (const auto& s : page->items) EXPECT_EQ(s.grade, 2);

  StudentFilter cls;
  cls.class_name = "1班";
  cls.grade = 2;
  page = store_->students_page("/", cls, 0, 100);
  ASSERT_TRUE(page);
  for (const auto& s : page->items) {
    EXPECT_EQ(s.class_name, "1班");
    EXPECT_EQ(s.grade, 2);
  }
  EXPECT_GT(page->total, 0);

  StudentFilter zhang;
  zhang.name_prefix = "张";
  page = store_->students_page("/", zhang, 0, 100);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 6);  // 张三 and 张小明, 3 each
  for (const auto& s : page->items) EXPECT_EQ(s.name.rfind("张", 0), 0u) << s.name;
  zhang.name_prefix = "张小";
  EXPECT_EQ(store_->students_page("/", zhang, 0, 100)->total, 3);

  StudentFilter no;
  no.student_no = SensitiveText("G620102201500000004");
  page = store_->students_page("/", no, 0, 100);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  // Lists carry the masked forms only.
  EXPECT_EQ(page->items[0].student_no_masked, "G620102********0004");
  EXPECT_EQ(page->items[0].id_number_masked, "620102********0018");
  EXPECT_EQ(page->items[0].name, "赵六");
  // The same student under another scope: not there.
  EXPECT_EQ(store_->students_page(t_.bj_path, no, 0, 100)->total, 0);
}

TEST_F(StudentPages, PagesAreAnIndexWalkNotASort) {
  // The page statement runs without sorting the subtree: the (school code,
  // id) order comes from the school_code index and student(school_id, id).
  ASSERT_TRUE(store_->students_page(t_.county_path, {}, 2, 3));
  StudentFilter one_school;
  one_school.school_code = "1620102001";
  ASSERT_TRUE(store_->students_page("/", one_school, 0, 3));
  int page_statements = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(store_->connection().handle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(store_->connection().handle(), s)) {
    const std::string sql = sqlite3_sql(s);
    if (sql.find("ORDER BY sc.school_code, st.id") == std::string::npos) continue;
    ++page_statements;
    EXPECT_EQ(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 0), 0) << sql;
    EXPECT_EQ(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_AUTOINDEX, 0), 0) << sql;
  }
  EXPECT_EQ(page_statements, 2);
}

TEST_F(StudentPages, GetAndHousehold) {
  const int64_t id = ids_.front().second;
  auto s = store_->get_student(id);
  ASSERT_TRUE(s && *s);
  EXPECT_EQ((*s)->id, id);
  EXPECT_EQ((*s)->data.id_number->plain(), "620102201501010018");  // decoded
  EXPECT_FALSE(*store_->get_student(987654));

  auto g = store_->upsert_guardian({"王大", SensitiveText("620102198001010011"), std::nullopt});
  ASSERT_TRUE(g);
  StudentInput a = student(t_.school_a1, "G620102201600000001", "王一", 1, "1班");
  a.guardian_id = g->id;
  StudentInput b = student(t_.school_b, "G620102201600000002", "王二", 3, "1班");
  b.guardian_id = g->id;
  const int64_t a_id = store_->upsert_student(a)->id;
  const int64_t b_id = store_->upsert_student(b)->id;
  auto children = store_->students_of_guardian(g->id);
  ASSERT_TRUE(children);
  ASSERT_EQ(children->size(), 2u);
  EXPECT_EQ((*children)[0].id, a_id);
  EXPECT_EQ((*children)[1].id, b_id);
  EXPECT_TRUE(store_->students_of_guardian(g->id + 1)->empty());
}

TEST_F(StudentPages, MaskedFormsFollowEveryWrite) {
  StudentInput in = student(t_.school_a1, "L123456789", "钱七", 2, "1班");
  in.bank_card = SensitiveText("6222021234567890123");
  const int64_t id = store_->upsert_student(in)->id;
  auto listed = store_->get_student_listing(id);
  ASSERT_TRUE(listed && *listed);
  EXPECT_EQ((*listed)->student_no_masked, "L123**6789");
  EXPECT_EQ((*listed)->id_number_masked, "620102********0018");
  EXPECT_EQ((*listed)->bank_card_masked, "6222 **** **** 0123");
  EXPECT_FALSE(*store_->get_student_listing(987654));
  // An update rewrites them with the values.
  in.id_number.reset();
  in.bank_card = SensitiveText("6217001234567890");
  ASSERT_EQ(store_->upsert_student(in)->outcome, Outcome::kUpdated);
  listed = store_->get_student_listing(id);
  EXPECT_EQ((*listed)->id_number_masked, std::nullopt);
  EXPECT_EQ((*listed)->bank_card_masked, "6217 **** **** 7890");
}

// Rows written before migration 4 have no masked forms: lists work out the
// same forms from the sealed values, and fill_masked_forms writes them.
TEST_F(StudentPages, RowsWithoutMaskedFormsAreReadAndFilled) {
  auto before = store_->students_page("/", {}, 0, 100);
  ASSERT_TRUE(before);
  Connection& db = store_->connection();
  ASSERT_TRUE(db.exec("UPDATE student SET student_no_masked = NULL, id_number_masked = NULL, bank_card_masked = NULL"));
  auto fallback = store_->students_page("/", {}, 0, 100);
  ASSERT_TRUE(fallback) << fallback.error().describe();
  EXPECT_EQ(fallback->items, before->items);

  auto filled = fill_masked_forms(db, codec_);
  ASSERT_TRUE(filled) << filled.error().describe();
  EXPECT_EQ(*filled, 15);
  EXPECT_EQ(*fill_masked_forms(db, codec_), 0);  // nothing left
  auto stmt = db.prepare("SELECT COUNT(*) FROM student WHERE student_no_masked IS NULL");
  ASSERT_TRUE(stmt && *stmt->step());
  EXPECT_EQ(stmt->int_at(0), 0);
  EXPECT_EQ(store_->students_page("/", {}, 0, 100)->items, before->items);
}

// A codec that cannot open the values (another key) stops the fill with its
// error and writes nothing wrong.
TEST_F(StudentPages, FillingWithTheWrongCodecFailsCleanly) {
  Connection& db = store_->connection();
  ASSERT_TRUE(db.exec("UPDATE student SET student_no_masked = NULL"));
  // Encodes like the store's codec but opens nothing (as another key would).
  class OtherKey final : public SensitiveCodec {
   public:
    std::string encode_for_storage(SensitiveKind, std::string_view plain) const override { return std::string(plain); }
    Result<std::string> decode(SensitiveKind, std::string_view) const override {
      return fail("DECRYPT", "not sealed with this key");
    }
    std::string blind_index(SensitiveKind, std::string_view plain) const override { return std::string(plain); }
  } other;
  auto filled = fill_masked_forms(db, other);
  ASSERT_FALSE(filled);
  auto stmt = db.prepare("SELECT COUNT(*) FROM student WHERE student_no_masked IS NULL");
  ASSERT_TRUE(stmt && *stmt->step());
  EXPECT_EQ(stmt->int_at(0), 15);
}

}  // namespace
}  // namespace zizhu::store::sqlite

namespace zizhu::store::sqlite {
namespace {

// The unfiltered total comes from the schools' counts (migration 3): they
// must follow inserts, moves between schools, and agree with a real count.
TEST_F(StudentPages, SchoolCountsFollowInsertsAndMoves) {
  auto total = [&](std::string_view path) { return store_->students_page(path, {}, 0, 1)->total; };
  auto counted = [&](std::string_view path) {
    StudentFilter by_class;  // a filter forces the real COUNT(*)
    int64_t n = 0;
    for (const char* c : {"1班", "2班"}) {
      by_class.class_name = c;
      n += store_->students_page(path, by_class, 0, 1)->total;
    }
    return n;
  };
  EXPECT_EQ(total("/"), 15);
  EXPECT_EQ(total(t_.county_path), counted(t_.county_path));
  EXPECT_EQ(total(t_.county_path), 10);
  // Move one student of a1 to b (another county) by upserting it.
  auto first = store_->students_page(t_.county_path, {}, 0, 1);
  ASSERT_TRUE(first && !first->items.empty());
  StudentInput moved = (*store_->get_student(first->items[0].id))->data;
  moved.school_id = t_.school_b;
  ASSERT_TRUE(store_->upsert_student(moved));
  EXPECT_EQ(total(t_.county_path), 9);
  EXPECT_EQ(total(t_.county_path), counted(t_.county_path));
  EXPECT_EQ(total(t_.county2_path), counted(t_.county2_path));
  EXPECT_EQ(total("/"), 15);
}

}  // namespace
}  // namespace zizhu::store::sqlite
