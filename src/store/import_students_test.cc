// `zizhu import students` end to end below the command line: a roster file in,
// rows in the database and a rejects file out.
#include "store/import_students.h"

#include <gtest/gtest.h>

#include "core/resident_id.h"
#include "io/xlsx_writer.h"
#include "store/fault_injecting_store.h"
#include "store/import_schools.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace zizhu::store {
namespace {

using sqlite::SqliteStore;

const Date kReference = *Date::from_ymd(2026, 9, 1);

std::unique_ptr<SqliteStore> make_db(const std::string& path) {
  auto opened = SqliteStore::open(path);
  EXPECT_TRUE(opened) << (opened ? "" : opened.error().describe());
  auto db = std::move(*opened);
  const int64_t p = db->upsert_org_node({std::nullopt, OrgKind::kProvince, "620000", "甘肃省"})->id;
  const int64_t c = db->upsert_org_node({p, OrgKind::kCity, "620100", "兰州市"})->id;
  const int64_t county = db->upsert_org_node({c, OrgKind::kCounty, "620102", "城关区"})->id;
  EXPECT_TRUE(db->upsert_school({"1620102001", "一小", SchoolStage::kPrimary, county}));
  EXPECT_TRUE(db->upsert_school({"1620102002", "二小", SchoolStage::kPrimary, county}));
  return db;
}

// A valid resident ID born on 2017-05-06 in 620102; `want_x` picks one whose
// check character is X (to write it with a lower-case x).
std::string valid_id(int seq, bool want_x = false) {
  for (int s = seq;; ++s) {
    std::string body = "62010220170506" + std::to_string(100 + s % 900);
    const char check = resident_id_check_char(body);
    if (!want_x || check == 'X') return body + check;
  }
}

// The same with a wrong check character.
std::string invalid_id(const std::string& valid) {
  std::string id = valid;
  id.back() = id.back() == '0' ? '1' : '0';
  return id;
}

// A guardian's valid ID (born 1980-01-01).
std::string guardian_id() {
  const std::string body = "62010219800101123";
  return body + resident_id_check_char(body);
}

StudentImportOptions options(const testing::TempDir& dir) {
  StudentImportOptions o;
  o.reference_date = kReference;
  o.rejects_path = dir.file("rejects.csv");
  return o;
}

// Every user-visible value of every student, in a stable order.
std::string dump(Store& store) {
  std::string out;
  auto all = store.students_under("/");
  EXPECT_TRUE(all);
  for (const auto& s : *all) {
    const auto& d = s.data;
    out += d.student_no.plain() + "|" + d.name + "|" + (d.id_number ? d.id_number->plain() : "-") + "|" +
           std::to_string(d.school_id) + "|" + std::to_string(d.grade) + "|" + d.class_name + "|" +
           (d.bank_card ? d.bank_card->plain() : "-") + "|" + (d.guardian_id ? std::to_string(*d.guardian_id) : "-") +
           "\n";
  }
  return out;
}

const std::string kHeader = "学籍号,Name,身份证号,性别,出生日期,School_Code,年级,班级,是否寄宿,监护人姓名,监护人身份证号,银行卡号\n";

// Every roster reason of identify.md, each on its own row, with the column as
// the header writes it and the trimmed value.
TEST(ImportStudents, EveryRosterRejectWithRowColumnAndValue) {
  testing::TempDir dir;
  auto db = make_db(dir.file("z.db"));
  const std::string dup = valid_id(7, true);  // ends in X
  std::string dup_lower = dup;
  dup_lower.back() = 'x';
  const std::string roster =
      kHeader +
      "J000000000000000001,甲,,女,2017-05-06,1620102001,3,1班,否,,,6222020200112233445\n"  // 2 ok
      ",乙,,,,1620102001,3,,,,,\n"                                                      // 3 MISSING_VALUE 学籍号
      "X123,丙,,,,1620102001,3,,,,,\n"                                                  // 4 BAD_STUDENT_NO
      "J000000000000000004,,,,,1620102001,3,,,,,\n"                                     // 5 MISSING_VALUE Name
      "J000000000000000005,丁,,M,,1620102001,3,,,,,\n"                                  // 6 BAD_GENDER
      "J000000000000000006,戊,,,2017-02-30,1620102001,3,,,,,\n"                         // 7 BAD_DATE (no such day)
      "J000000000000000007,己,,,2026-09-02,1620102001,3,,,,,\n"                         // 8 BAD_DATE (after reference)
      "J000000000000000008,庚,,,,16201020,3,,,,,\n"                                     // 9 BAD_SCHOOL_CODE
      "J000000000000000009,辛,,,,1620102001,10,,,,,\n"                                  // 10 BAD_GRADE
      "J000000000000000010,壬,,,,1620102001,3,,maybe,,,\n"                              // 11 BAD_BOOLEAN
      "J000000000000000011,癸,,,,1620102001,3,,,,,12345\n"                              // 12 BAD_BANK_CARD
      "G" + dup_lower + ",子,,,,1620102001,3,,,,,\n"                                    // 13 DUPLICATE_STUDENT_NO
      "G" + dup + ",丑,,,,1620102002,4,,,,,\n"                                          // 14 DUPLICATE_STUDENT_NO
      "J000000000000000015,寅,,,,1999999999,3,,,,,\n"                                   // 15 UNKNOWN_SCHOOL
      "J000000000000000016,卯," + invalid_id(valid_id(5)) + ",,,1620102002,3,,Y,," + invalid_id(guardian_id()) +
      ",\n"  // 16 ok: a bad ID kept, a bad guardian ID dropped
      "J000000000000000017,辰,,,,1620102001,\t 0 \u3000,,,,,\n"                         // 17 BAD_GRADE, trimmed
      ",,,,,,,,,,,\n"                                                                   // 18 empty: skipped
      "J000000000000000001,巳,,,,1620102001,0,,,,,\n";                                  // 19 BAD_GRADE (not a duplicate of 2)
  const std::string file = dir.write("roster.csv", roster);

  std::vector<Reject> rejects;
  auto done = import_students(*db, file, options(dir), &rejects);
  ASSERT_TRUE(done) << done.error().describe();
  EXPECT_EQ(done->rows_read, 17);  // the empty row 18 not counted
  EXPECT_EQ(done->inserted, 2);
  EXPECT_EQ(done->rejected, 15);

  const std::vector<Reject> expected = {
      {file, 3, "学籍号", "", "MISSING_VALUE"},
      {file, 4, "学籍号", "X123", "BAD_STUDENT_NO"},
      {file, 5, "Name", "", "MISSING_VALUE"},
      {file, 6, "性别", "M", "BAD_GENDER"},
      {file, 7, "出生日期", "2017-02-30", "BAD_DATE"},
      {file, 8, "出生日期", "2026-09-02", "BAD_DATE"},
      {file, 9, "School_Code", "16201020", "BAD_SCHOOL_CODE"},
      {file, 10, "年级", "10", "BAD_GRADE"},
      {file, 11, "是否寄宿", "maybe", "BAD_BOOLEAN"},
      {file, 12, "银行卡号", "12345", "BAD_BANK_CARD"},
      {file, 13, "学籍号", "G" + dup_lower, "DUPLICATE_STUDENT_NO"},
      {file, 14, "学籍号", "G" + dup, "DUPLICATE_STUDENT_NO"},
      {file, 15, "School_Code", "1999999999", "UNKNOWN_SCHOOL"},
      {file, 17, "年级", "0", "BAD_GRADE"},
      {file, 19, "年级", "0", "BAD_GRADE"},
  };
  ASSERT_EQ(rejects.size(), expected.size()) << format_rejects(rejects);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(rejects[i].file, expected[i].file) << i;
    EXPECT_EQ(rejects[i].row, expected[i].row) << i;
    EXPECT_EQ(rejects[i].column, expected[i].column) << expected[i].row;
    EXPECT_EQ(rejects[i].value, expected[i].value) << expected[i].row;
    EXPECT_EQ(rejects[i].reason, expected[i].reason) << expected[i].row;
  }
  EXPECT_EQ(testing::read_file(dir.file("rejects.csv")), format_rejects(rejects));

  // The rows stored: an ID that fails validation is kept as given, an unusable
  // guardian ID is treated as absent.
  auto first = db->find_student(SensitiveText("J000000000000000001"));
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->data.name, "甲");
  EXPECT_EQ((*first)->data.gender, Gender::kFemale);
  EXPECT_EQ((*first)->data.bank_card->plain(), "6222020200112233445");
  auto odd = db->find_student(SensitiveText("J000000000000000016"));
  ASSERT_TRUE(odd && *odd);
  EXPECT_EQ((*odd)->data.id_number->plain(), invalid_id(valid_id(5)));
  EXPECT_TRUE((*odd)->data.boarding);
  EXPECT_FALSE((*odd)->data.guardian_id);
  EXPECT_FALSE(*db->find_student(SensitiveText("G" + dup)));
}

TEST(ImportStudents, RejectsFromEveryPassAreInRowOrder) {
  // Validator rejects, duplicates and unknown schools come from three passes;
  // the file lists them by row.
  testing::TempDir dir;
  auto db = make_db(dir.file("z.db"));
  const std::string file = dir.write("r.csv", kHeader +
                                                  "J000000000000000002,a,,,,1999999999,3,,,,,\n"  // 2 UNKNOWN_SCHOOL
                                                  "J000000000000000003,b,,,,1620102001,3,,,,,\n"  // 3 DUPLICATE
                                                  "J000000000000000004,c,,,,1620102001,x,,,,,\n"  // 4 BAD_GRADE
                                                  "J000000000000000003,d,,,,1620102001,3,,,,,\n");  // 5 DUPLICATE
  std::vector<Reject> rejects;
  auto done = import_students(*db, file, options(dir), &rejects);
  ASSERT_TRUE(done) << done.error().describe();
  ASSERT_EQ(rejects.size(), 4u);
  EXPECT_EQ(done->rejected, 4);
  EXPECT_EQ(done->inserted, 0);
  const char* reasons[] = {"UNKNOWN_SCHOOL", "DUPLICATE_STUDENT_NO", "BAD_GRADE", "DUPLICATE_STUDENT_NO"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(rejects[i].row, static_cast<long>(i + 2));
    EXPECT_EQ(rejects[i].reason, reasons[i]);
  }
}

// An ID or bank card that Excel stored as a number cannot be trusted.
TEST(ImportStudents, XlsxNumbersInIdAndCardAreNumericCell) {
  testing::TempDir dir;
  auto db = make_db(dir.file("z.db"));
  const std::string file = dir.file("roster.xlsx");
  {
    auto w = io::XlsxWriter::create(file, "Sheet1");
    ASSERT_TRUE(w);
    const std::vector<std::string_view> header = {"学籍号", "姓名", "身份证号", "学校标识码", "年级", "银行卡号",
                                                  "监护人身份证号"};
    (*w)->header(header);
    auto common = [&](std::string_view no) {
      (*w)->text(no);
      (*w)->text("张三");
    };
    common("J000000000000000002");  // row 2: ID as a number
    (*w)->integer(620102201705061234);
    (*w)->text("1620102001");
    (*w)->integer(3);
    (*w)->empty();
    (*w)->empty();
    (*w)->end_row();
    common("J000000000000000003");  // row 3: card as a number
    (*w)->empty();
    (*w)->text("1620102001");
    (*w)->integer(3);
    (*w)->integer(6222020200112233);
    (*w)->empty();
    (*w)->end_row();
    common("J000000000000000004");  // row 4: a guardian ID as a number is only ignored
    (*w)->text(valid_id(1));
    (*w)->text("1620102001");
    (*w)->integer(3);
    (*w)->text("6222020200112233445");
    (*w)->integer(std::stoll(guardian_id()));
    (*w)->end_row();
    ASSERT_TRUE((*w)->close());
  }
  std::vector<Reject> rejects;
  auto done = import_students(*db, file, options(dir), &rejects);
  ASSERT_TRUE(done) << done.error().describe();
  EXPECT_EQ(done->inserted, 1);
  ASSERT_EQ(rejects.size(), 2u) << format_rejects(rejects);
  EXPECT_EQ(rejects[0].row, 2);
  EXPECT_EQ(rejects[0].column, "身份证号");
  EXPECT_EQ(rejects[0].reason, "NUMERIC_CELL");
  EXPECT_EQ(rejects[1].row, 3);
  EXPECT_EQ(rejects[1].column, "银行卡号");
  EXPECT_EQ(rejects[1].reason, "NUMERIC_CELL");
  auto kept = db->find_student(SensitiveText("J000000000000000004"));
  ASSERT_TRUE(kept && *kept);
  EXPECT_FALSE((*kept)->data.guardian_id);
}

std::string good_roster(int rows, std::string_view class_name) {
  std::string text = kHeader;
  for (int i = 0; i < rows; ++i) {
    // Even rows share a guardian (siblings), so guardian writes are in flight too.
    const std::string guardian = i % 2 == 0 ? guardian_id() : "";
    std::string no = std::to_string(i + 1);
    no.insert(0, 18 - no.size(), '0');
    text += "J" + no + ",学生" + std::to_string(i) + "," + (i == 0 ? valid_id(3) : "") + ",男,2017-05-06," +
            (i % 2 == 0 ? "1620102001" : "1620102002") + ",3," + std::string(class_name) + ",否,家长," + guardian +
            ",\n";
  }
  return text;
}

TEST(ImportStudents, SecondImportOfTheSameFileChangesNothing) {
  testing::TempDir dir;
  auto db = make_db(dir.file("z.db"));
  std::string roster = good_roster(6, "1班");
  roster += "J000000000000000099,坏,,,,1620102001,99,,,,,\n";
  const std::string file = dir.write("roster.csv", roster);
  auto first = import_students(*db, file, options(dir));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->rows_read, 7);
  EXPECT_EQ(first->inserted, 6);
  EXPECT_EQ(first->rejected, 1);
  const std::string before = dump(*db);
  const std::string rejects_before = testing::read_file(dir.file("rejects.csv"));

  auto second = import_students(*db, file, options(dir));
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, 6);
  EXPECT_EQ(second->rejected, 1);
  EXPECT_EQ(dump(*db), before);
  EXPECT_EQ(testing::read_file(dir.file("rejects.csv")), rejects_before);
}

// A failure at any write, first to last, leaves the database as it was and
// the old rejects file in place; without a fault the same file goes through.
TEST(ImportStudents, FailureAtAnyWriteLeavesEverythingAsItWas) {
  testing::TempDir dir;
  auto db = make_db(dir.file("z.db"));
  ASSERT_TRUE(import_students(*db, dir.write("old.csv", good_roster(3, "1班")), options(dir)));
  const std::string before = dump(*db);
  const std::string rejects_before = testing::read_file(dir.file("rejects.csv"));
  const std::string file = dir.write("new.csv", good_roster(6, "2班") + "J000000000000000099,坏,,,,1,3,,,,,\n");

  // 1 guardian + 6 students.
  for (int64_t fail_at = 1; fail_at <= 7; ++fail_at) {
    FaultInjectingStore faulty(*db, fail_at);
    auto result = import_students(faulty, file, options(dir));
    ASSERT_FALSE(result.has_value()) << "write " << fail_at;
    EXPECT_EQ(faulty.writes_attempted(), fail_at);
    EXPECT_FALSE(db->in_transaction());
    EXPECT_EQ(dump(*db), before) << "write " << fail_at;
    EXPECT_EQ(testing::read_file(dir.file("rejects.csv")), rejects_before);
  }
  FaultInjectingStore never(*db, 0);
  auto ok = import_students(never, file, options(dir));
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(never.writes_attempted(), 7);
  EXPECT_EQ(ok->inserted, 3);
  EXPECT_EQ(ok->updated, 3);
  EXPECT_EQ(ok->rejected, 1);
}

TEST(ImportStudents, MissingRequiredColumnWritesNothing) {
  testing::TempDir dir;
  auto db = make_db(dir.file("z.db"));
  const std::string file = dir.write("r.csv",
                                     "学籍号,姓名,学校标识码\n"
                                     "J000000000000000001,甲,1620102001\n");
  auto done = import_students(*db, file, options(dir));
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, "MISSING_COLUMN");
  EXPECT_EQ(done.error().where.column, "年级");
  EXPECT_EQ(*db->count_students(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir.file("rejects.csv")));
}

TEST(ImportStudents, EnglishKeysInAnyOrder) {
  testing::TempDir dir;
  auto db = make_db(dir.file("z.db"));
  const std::string file = dir.write("r.csv",
                                     "Grade,SCHOOL_CODE,name,student_no,unknown\n"
                                     "5,1620102002,甲,L000000000000000001,whatever\n");
  auto done = import_students(*db, file, options(dir));
  ASSERT_TRUE(done) << done.error().describe();
  EXPECT_EQ(done->inserted, 1);
  auto s = db->find_student(SensitiveText("L000000000000000001"));
  ASSERT_TRUE(s && *s);
  EXPECT_EQ((*s)->data.grade, 5);
}

// import schools names the organisation tree from GB/T 2260 (core/region.h);
// a code the table does not know is named by its code.
TEST(RegionNames, RealNamesAndCodesForTheUnknown) {
  const RegionNames known = region_names("620102");
  EXPECT_EQ(known.province, "甘肃省");
  EXPECT_EQ(known.city, "兰州市");
  EXPECT_EQ(known.county, "城关区");
  const RegionNames gone = region_names("620199");
  EXPECT_EQ(gone.province, "甘肃省");
  EXPECT_EQ(gone.city, "兰州市");
  EXPECT_EQ(gone.county, "620199");
  const RegionNames none = region_names("990101");
  EXPECT_EQ(none.province, "990000");
  EXPECT_EQ(none.city, "990100");
}

}  // namespace
}  // namespace zizhu::store
