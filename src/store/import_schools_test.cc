#include "store/import_schools.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace zizhu::store {
namespace {

TEST(ImportSchools, BuildsTheTreeAndIsIdempotent) {
  testing::TempDir dir;
  const std::string file = dir.write("schools.csv",
                                     "学校名称,区县代码,school_code,学段\n"
                                     "城关一小,620102,1620102001,小学\n"
                                     "城关二中,620102,1620102002,junior\n"
                                     "东城一小,110101,1110101001,\n");
  auto db = sqlite::SqliteStore::open(dir.file("z.db"));
  ASSERT_TRUE(db);
  auto first = import_schools(**db, file, dir.file("rejects.csv"));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->rows_read, 3);
  EXPECT_EQ(first->inserted, 3);
  EXPECT_EQ(first->regions_inserted, 6);
  auto school = (*db)->find_school("1620102002");
  ASSERT_TRUE(school && *school);
  EXPECT_EQ((*school)->path, "/62/6201/620102/1620102002/");
  EXPECT_EQ((*school)->stage, SchoolStage::kJunior);
  EXPECT_EQ((*db)->schools_under("/62/")->size(), 2u);

  auto second = import_schools(**db, file, dir.file("rejects.csv"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, 3);
  EXPECT_EQ(second->regions_inserted, 0);
}

TEST(ImportSchools, RejectsBadRowsWithRowAndColumn) {
  testing::TempDir dir;
  const std::string file = dir.write("s.csv",
                                     "学校标识码,学校名称,区县代码,学段\n"
                                     ",无码,620102,\n"              // 2 MISSING_VALUE
                                     "16201020,短码,620102,\n"      // 3 BAD_SCHOOL_CODE
                                     "1620102003,,620102,\n"        // 4 MISSING_VALUE name
                                     "1620102004,市码,620100,\n"    // 5 BAD_REGION_CODE
                                     "1620102005,学段,620102,高中\n"  // 6 BAD_STAGE
                                     "1620102006,好,620102,\n"      // 7 ok
                                     "1620102006,又,620102,\n");    // 8 DUPLICATE_SCHOOL
  auto db = sqlite::SqliteStore::open(dir.file("z.db"));
  ASSERT_TRUE(db);
  std::vector<Reject> rejects;
  auto done = import_schools(**db, file, dir.file("rejects.csv"), &rejects);
  ASSERT_TRUE(done) << done.error().describe();
  EXPECT_EQ(done->inserted, 1);
  EXPECT_EQ(done->rejected, 6);
  ASSERT_EQ(rejects.size(), 6u);
  const char* reasons[] = {"MISSING_VALUE", "BAD_SCHOOL_CODE", "MISSING_VALUE", "BAD_REGION_CODE", "BAD_STAGE",
                           "DUPLICATE_SCHOOL"};
  const char* columns[] = {"学校标识码", "学校标识码", "学校名称", "区县代码", "学段", "学校标识码"};
  const long rows[] = {2, 3, 4, 5, 6, 8};
  for (size_t i = 0; i < rejects.size(); ++i) {
    EXPECT_EQ(rejects[i].reason, reasons[i]) << i;
    EXPECT_EQ(rejects[i].column, columns[i]) << i;
    EXPECT_EQ(rejects[i].row, rows[i]) << i;
    EXPECT_EQ(rejects[i].file, file);
  }
  EXPECT_EQ(testing::read_file(dir.file("rejects.csv")), format_rejects(rejects));
}

TEST(ImportSchools, MissingColumnCannotStart) {
  testing::TempDir dir;
  const std::string file = dir.write("s.csv", "学校标识码,学校名称\n1620102001,x\n");
  auto db = sqlite::SqliteStore::open(dir.file("z.db"));
  ASSERT_TRUE(db);
  auto done = import_schools(**db, file, dir.file("rejects.csv"));
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, "MISSING_COLUMN");
  EXPECT_NE(done.error().message.find("区县代码"), std::string::npos);
}

}  // namespace
}  // namespace zizhu::store
