#include <gtest/gtest.h>

#include "store/fault_injecting_store.h"
#include "store/import_students.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace zizhu::store {
namespace {

using sqlite::SqliteStore;

struct Fixture {
  std::unique_ptr<SqliteStore> db;
  int64_t county = 0;
};

Fixture make_db(const std::string& path) {
  Fixture f;
  auto opened = SqliteStore::open(path);
  EXPECT_TRUE(opened) << (opened ? "" : opened.error().describe());
  f.db = std::move(*opened);
  const int64_t p = f.db->upsert_org_node({std::nullopt, OrgKind::kProvince, "620000", "甘肃省"})->id;
  const int64_t c = f.db->upsert_org_node({p, OrgKind::kCity, "620100", "兰州市"})->id;
  f.county = f.db->upsert_org_node({c, OrgKind::kCounty, "620102", "城关区"})->id;
  EXPECT_TRUE(f.db->upsert_school({"1620102001", "一小", SchoolStage::kPrimary, f.county}));
  EXPECT_TRUE(f.db->upsert_school({"1620102002", "二小", SchoolStage::kPrimary, f.county}));
  return f;
}

RosterStudent row(long n, std::string no, std::string school = "1620102001") {
  RosterStudent r;
  r.row = n;
  r.student_no = std::move(no);
  r.name = "学生" + std::to_string(n);
  r.school_code = school;
  r.school_code_value = school;
  r.grade = 3;
  r.class_name = "1班";
  r.gender = Gender::kFemale;
  r.birth_date = Date::from_ymd(2017, 5, 6);
  r.guardian_name = "家长";
  r.guardian_id_number = "62010219800101001X";
  r.bank_card = "6222020200112233445";
  return r;
}

std::vector<RosterStudent> roster() {
  std::vector<RosterStudent> rows;
  for (long i = 2; i < 12; ++i) {
    std::string no = std::to_string(i);
    no.insert(0, 18 - no.size(), '0');
    rows.push_back(row(i, "J" + no, i % 2 == 0 ? "1620102001" : "1620102002"));
  }
  return rows;
}

// Every user-visible value of every student, in a stable order.
std::string dump(Store& store) {
  std::string out;
  auto all = store.students_under("/");
  EXPECT_TRUE(all);
  for (const auto& s : *all) {
    const auto& d = s.data;
    out += d.student_no.plain() + "|" + d.name + "|" + std::to_string(d.school_id) + "|" + std::to_string(d.grade) +
           "|" + d.class_name + "|" + (d.guardian_id ? std::to_string(*d.guardian_id) : "-") + "\n";
  }
  return out;
}

TEST(StoreStudents, SecondRunChangesNothing) {
  testing::TempDir dir;
  auto f = make_db(dir.file("z.db"));
  std::vector<Reject> rejects;
  auto first = store_students(*f.db, roster(), "r.csv", "学校标识码", rejects);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->inserted, 10);
  EXPECT_EQ(first->updated, 0);
  EXPECT_EQ(first->unchanged, 0);
  EXPECT_TRUE(rejects.empty());
  const std::string before = dump(*f.db);

  auto second = store_students(*f.db, roster(), "r.csv", "学校标识码", rejects);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, 10);
  EXPECT_EQ(dump(*f.db), before);

  auto changed = roster();
  changed[3].grade = 4;
  auto third = store_students(*f.db, changed, "r.csv", "学校标识码", rejects);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->updated, 1);
  EXPECT_EQ(third->unchanged, 9);
}

// How many bank card changes are logged, of every student.
int64_t card_changes(SqliteStore& db) {
  auto stmt = db.connection().prepare("SELECT COUNT(*) FROM bank_card_change");
  EXPECT_TRUE(stmt);
  EXPECT_TRUE(stmt->step());
  return stmt->int_at(0);
}

TEST(StoreStudents, AReplacedBankCardIsLoggedMasked) {
  testing::TempDir dir;
  auto f = make_db(dir.file("z.db"));
  std::vector<Reject> rejects;
  const int64_t now_ms = 1'790'000'000'000;
  const int64_t user_id = 7;
  ASSERT_TRUE(store_students(*f.db, roster(), "r.csv", "学校标识码", rejects, "/", now_ms, user_id));
  EXPECT_EQ(card_changes(*f.db), 0);  // a first card is not a change

  // The same cards again, and another change of a row: nothing logged.
  auto same = roster();
  same[2].grade = 4;
  auto unchanged = store_students(*f.db, same, "r.csv", "学校标识码", rejects, "/", now_ms, user_id);
  ASSERT_TRUE(unchanged) << unchanged.error().describe();
  EXPECT_EQ(unchanged->updated, 1);
  EXPECT_EQ(card_changes(*f.db), 0);

  auto replaced = same;
  replaced[3].bank_card = "6217000011112222333";
  auto done = store_students(*f.db, replaced, "r2.csv", "学校标识码", rejects, "/", now_ms + 1000, user_id);
  ASSERT_TRUE(done) << done.error().describe();
  EXPECT_EQ(done->updated, 1);
  EXPECT_EQ(card_changes(*f.db), 1);
  auto student = f.db->find_student(SensitiveText(replaced[3].student_no));
  ASSERT_TRUE(student && *student);
  auto logged = f.db->bank_card_changes_since({(*student)->id}, 0);
  ASSERT_TRUE(logged) << logged.error().describe();
  ASSERT_EQ(logged->size(), 1u);
  const auto& c = (*logged)[0];
  EXPECT_EQ(c.old_masked, "6222 **** **** 3445");
  EXPECT_EQ(c.new_masked, "6217 **** **** 2333");
  EXPECT_EQ(c.changed_at_ms, now_ms + 1000);
  EXPECT_EQ(c.changed_by, user_id);
  EXPECT_EQ(c.reason, "花名册导入 r2.csv");
  // No full card anywhere in the row.
  EXPECT_EQ(c.old_masked.find("6222020200112233445"), std::string::npos);
  EXPECT_EQ(c.new_masked.find("6217000011112222333"), std::string::npos);

  // Importing the file that holds the new card again logs nothing more.
  ASSERT_TRUE(store_students(*f.db, replaced, "r2.csv", "学校标识码", rejects, "/", now_ms + 2000, user_id));
  EXPECT_EQ(card_changes(*f.db), 1);
}

TEST(StoreStudents, SiblingsShareOneGuardianWhateverTheSpelling) {
  testing::TempDir dir;
  auto f = make_db(dir.file("z.db"));
  auto rows = roster();
  rows[0].guardian_name = "";
  rows[1].guardian_name = "王芳";
  rows[2].guardian_name = "王 芳";
  std::vector<Reject> rejects;
  ASSERT_TRUE(store_students(*f.db, rows, "r.csv", "学校标识码", rejects));
  auto g = f.db->find_guardian(SensitiveText("62010219800101001X"));
  ASSERT_TRUE(g && *g);
  EXPECT_EQ((*g)->name, "王芳");  // the first non-empty name
  auto again = store_students(*f.db, rows, "r.csv", "学校标识码", rejects);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 10);
  auto s = f.db->find_student(SensitiveText(rows[5].student_no));
  EXPECT_EQ((*s)->data.guardian_id, (*g)->id);
}

TEST(StoreStudents, UnknownSchoolIsARejectNotAnError) {
  testing::TempDir dir;
  auto f = make_db(dir.file("z.db"));
  auto rows = roster();
  rows[4].school_code = "1999999999";
  rows[4].school_code_value = "1999999999";
  std::vector<Reject> rejects;
  auto done = store_students(*f.db, rows, "r.csv", "school_code", rejects);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->inserted, 9);
  EXPECT_EQ(done->rejected, 1);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].file, "r.csv");
  EXPECT_EQ(rejects[0].row, rows[4].row);
  EXPECT_EQ(rejects[0].column, "school_code");
  EXPECT_EQ(rejects[0].value, "1999999999");
  EXPECT_EQ(rejects[0].reason, "UNKNOWN_SCHOOL");
  EXPECT_FALSE(*f.db->find_student(SensitiveText(rows[4].student_no)));
}

// A failure at any write, first to last, leaves the database exactly as it
// was: the import is one transaction.
TEST(StoreStudents, FailureMidwayLeavesTheDatabaseAsItWas) {
  testing::TempDir dir;
  auto f = make_db(dir.file("z.db"));
  std::vector<Reject> rejects;
  // Some students already there, so both inserts and updates are in flight.
  auto initial = roster();
  initial.resize(4);
  ASSERT_TRUE(store_students(*f.db, initial, "r.csv", "学校标识码", rejects));
  auto changed = roster();
  for (auto& r : changed) r.class_name = "9班";
  const std::string before = dump(*f.db);

  // 1 guardian write + 10 student writes.
  for (int64_t fail_at = 1; fail_at <= 11; ++fail_at) {
    FaultInjectingStore faulty(*f.db, fail_at);
    auto result = store_students(faulty, changed, "r.csv", "学校标识码", rejects);
    ASSERT_FALSE(result.has_value()) << "write " << fail_at;
    EXPECT_EQ(faulty.writes_attempted(), fail_at);
    EXPECT_FALSE(f.db->in_transaction());
    EXPECT_EQ(dump(*f.db), before) << "write " << fail_at;
    EXPECT_EQ(*f.db->count_students(), 4);
  }
  // And the same import without a fault goes through.
  FaultInjectingStore never(*f.db, 0);
  auto ok = store_students(never, changed, "r.csv", "学校标识码", rejects);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->inserted, 6);
  EXPECT_EQ(ok->updated, 4);
}

// The same, seen from another connection to the file: a crash (the process
// gone with the transaction open) never shows half an import.
TEST(StoreStudents, OpenTransactionInvisibleAndDiscardedOnClose) {
  testing::TempDir dir;
  const std::string path = dir.file("z.db");
  { auto f = make_db(path); }
  {
    auto writer = SqliteStore::open(path);
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->begin());
    auto school = (*writer)->find_school("1620102001");
    StudentInput s;
    s.student_no = SensitiveText("J000000000000000001");
    s.name = "x";
    s.school_id = (*school)->org_id;
    s.grade = 1;
    ASSERT_TRUE((*writer)->upsert_student(s));
    auto reader = SqliteStore::open(path);
    ASSERT_TRUE(reader);
    EXPECT_EQ(*(*reader)->count_students(), 0);
    // The writer is destroyed with its transaction open, as in a crash.
  }
  auto after = SqliteStore::open(path);
  ASSERT_TRUE(after);
  EXPECT_EQ(*(*after)->count_students(), 0);
}

TEST(Rejects, FormattedLikeIdentifyRejectsCsv) {
  std::vector<Reject> rejects = {
      {"a.csv", 3, "学籍号", "G12,3", "BAD_STUDENT_NO"},
      {"a.csv", 4, "", "say \"hi\"", "MISSING_VALUE"},
  };
  EXPECT_EQ(format_rejects(rejects),
            "file,row,column,value,reason\n"
            "a.csv,3,学籍号,\"G12,3\",BAD_STUDENT_NO\n"
            "a.csv,4,,\"say \"\"hi\"\"\",MISSING_VALUE\n");
  testing::TempDir dir;
  const std::string path = dir.file("r.csv");
  ASSERT_TRUE(write_rejects(path, rejects));
  EXPECT_EQ(testing::read_file(path), format_rejects(rejects));
  EXPECT_EQ(default_rejects_path("/x/z.db", "students"), "/x/z.db.students-rejects.csv");
}

}  // namespace
}  // namespace zizhu::store

namespace zizhu::store {
namespace {

// A school officer's import writes only their own school: rows for another
// school read as an unknown school, and a 学籍号 of another school's student
// cannot be taken over by naming the officer's school.
TEST(StoreStudents, ScopeKeepsAnImportInsideTheUsersSchool) {
  testing::TempDir dir;
  auto f = make_db(dir.file("z.db"));
  std::vector<Reject> rejects;
  ASSERT_TRUE(store_students(*f.db, roster(), "r.csv", "学校标识码", rejects));
  const auto school1 = f.db->find_school("1620102001");
  ASSERT_TRUE(school1 && *school1);
  const std::string before = dump(*f.db);

  std::vector<RosterStudent> rows = {row(2, "J000000000000000003", "1620102001"),  // a school-2 student
                                     row(3, "J000000000000000099", "1620102002"),  // another school
                                     row(4, "J000000000000000098", "1620102001")};
  rejects.clear();
  auto done = store_students(*f.db, rows, "r.csv", "学校标识码", rejects, (*school1)->path);
  ASSERT_TRUE(done) << done.error().describe();
  EXPECT_EQ(done->inserted, 1);
  EXPECT_EQ(done->rejected, 2);
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].reason, kOutsideScope);
  EXPECT_EQ(rejects[1].reason, kUnknownSchool);
  auto moved = f.db->find_student(SensitiveText("J000000000000000003"));
  ASSERT_TRUE(moved && *moved);
  EXPECT_NE((*moved)->data.school_id, (*school1)->org_id);
  EXPECT_NE(dump(*f.db), before);  // the one new student
}

}  // namespace
}  // namespace zizhu::store
