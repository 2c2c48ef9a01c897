#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include "store/migrations.h"
#include "store/sqlite/migrate.h"
#include "store/test_util.h"

namespace zizhu::store::sqlite {
namespace {

using testing::TempDir;

std::unique_ptr<SqliteStore> open_or_die(const std::string& path, SqliteOptions options = {}) {
  auto store = SqliteStore::open(path, options);
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().describe());
  return store ? std::move(*store) : nullptr;
}

int64_t scalar(SqliteStore& store, const std::string& sql) {
  auto stmt = store.connection().prepare(sql);
  EXPECT_TRUE(stmt.has_value()) << (stmt ? "" : stmt.error().describe());
  auto row = stmt->step();
  EXPECT_TRUE(row.has_value() && *row) << sql;
  return stmt->int_at(0);
}

std::string text(SqliteStore& store, const std::string& sql) {
  auto stmt = store.connection().prepare(sql);
  EXPECT_TRUE(stmt.has_value()) << (stmt ? "" : stmt.error().describe());
  auto row = stmt->step();
  EXPECT_TRUE(row.has_value() && *row) << sql;
  return stmt->text_at(0);
}

// A small tree: 甘肃 620000 / 兰州 620100 / 城关区 620102, 七里河区 620103,
// and 北京 110000 / 110100 / 110101.
struct Tree {
  int64_t province, city, county, county2, other_county;
};

Tree build_tree(Store& store) {
  Tree t{};
  t.province = store.upsert_org_node({std::nullopt, OrgKind::kProvince, "620000", "甘肃省"})->id;
  t.city = store.upsert_org_node({t.province, OrgKind::kCity, "620100", "兰州市"})->id;
  t.county = store.upsert_org_node({t.city, OrgKind::kCounty, "620102", "城关区"})->id;
  t.county2 = store.upsert_org_node({t.city, OrgKind::kCounty, "620103", "七里河区"})->id;
  const int64_t bj = store.upsert_org_node({std::nullopt, OrgKind::kProvince, "110000", "北京市"})->id;
  const int64_t bj_city = store.upsert_org_node({bj, OrgKind::kCity, "110100", "市辖区"})->id;
  t.other_county = store.upsert_org_node({bj_city, OrgKind::kCounty, "110101", "东城区"})->id;
  return t;
}

StudentInput student(int64_t school_id, std::string no = "G620102201501010018") {
  StudentInput s;
  s.student_no = SensitiveText(std::move(no));
  s.name = "张小明";
  s.id_number = SensitiveText("620102201501010018");
  s.gender = Gender::kMale;
  s.birth_date = Date::from_ymd(2015, 1, 1);
  s.school_id = school_id;
  s.grade = 4;
  s.class_name = "2班";
  s.boarding = true;
  s.guardian_name = "张大山";
  s.bank_card = SensitiveText("6222020200112233445");
  return s;
}

// --- migrations ----------------------------------------------------------------

TEST(Migrations, NumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const auto& m : migrations()) {
    EXPECT_EQ(m.version, expected++);
    EXPECT_FALSE(m.name.empty());
    EXPECT_FALSE(m.sql.empty());
  }
  EXPECT_EQ(latest_schema_version(), expected - 1);
}

TEST(Migrations, AppliedOnceAndIdempotent) {
  TempDir dir;
  const std::string path = dir.file("z.db");
  std::string applied_at;
  {
    auto store = open_or_die(path);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->schema_version(), latest_schema_version());
    EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM schema_migrations"),
              static_cast<int64_t>(migrations().size()));
    applied_at = text(*store, "SELECT applied_at FROM schema_migrations WHERE version = 1");
    EXPECT_EQ(text(*store, "SELECT name FROM schema_migrations WHERE version = 1"), "organisation_students");
  }
  for (int i = 0; i < 2; ++i) {
    auto store = open_or_die(path);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->schema_version(), latest_schema_version());
    EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM schema_migrations"),
              static_cast<int64_t>(migrations().size()));
    EXPECT_EQ(text(*store, "SELECT applied_at FROM schema_migrations WHERE version = 1"), applied_at);
  }
}

TEST(Migrations, NewerDatabaseRefused) {
  TempDir dir;
  const std::string path = dir.file("z.db");
  const int newer = latest_schema_version() + 1;
  {
    auto store = open_or_die(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->connection().exec("INSERT INTO schema_migrations VALUES (" + std::to_string(newer) +
                                         ", 'from_the_future', '2030-01-01T00:00:00Z')"));
  }
  auto again = SqliteStore::open(path);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, "DB_TOO_NEW");
  EXPECT_NE(again.error().message.find(std::to_string(newer)), std::string::npos) << again.error().message;
  EXPECT_NE(again.error().message.find(path), std::string::npos);
}

TEST(Migrations, ForeignHistoryRefused) {
  TempDir dir;
  const std::string path = dir.file("z.db");
  {
    auto store = open_or_die(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->connection().exec("UPDATE schema_migrations SET name = 'something_else' WHERE version = 1"));
  }
  auto again = SqliteStore::open(path);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, "DB_FOREIGN");
}

TEST(Migrations, FailedMigrationRolledBackEarlierOnesKept) {
  TempDir dir;
  auto db = Connection::open(dir.file("m.db"));
  ASSERT_TRUE(db);
  const Migration good{1, "first", "CREATE TABLE a (x INTEGER)"};
  const Migration bad{2, "second", "CREATE TABLE b (x INTEGER); INSERT INTO no_such_table VALUES (1)"};
  const Migration list[] = {good, bad};
  auto result = migrate(*db, list);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "DB");
  EXPECT_NE(result.error().message.find("0002_second"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("no such table"), std::string::npos) << result.error().message;
  EXPECT_EQ(*applied_schema_version(*db), 1);
  // b was created inside the failed migration's transaction: gone with it.
  auto b = db->prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'");
  ASSERT_TRUE(b && *b->step());
  EXPECT_EQ(b->int_at(0), 0);
  EXPECT_TRUE(db->autocommit());
}

TEST(SqliteStore, PragmasSet) {
  TempDir dir;
  auto store = open_or_die(dir.file("z.db"));
  ASSERT_TRUE(store);
  EXPECT_EQ(text(*store, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(scalar(*store, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(scalar(*store, "PRAGMA synchronous"), 1);  // NORMAL
  EXPECT_EQ(scalar(*store, "PRAGMA busy_timeout"), 5000);
}

TEST(SqliteStore, NotADatabaseIsAClearError) {
  TempDir dir;
  const std::string path = dir.write("junk.db", std::string(4096, 'x'));
  auto store = SqliteStore::open(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos) << store.error().message;
}

// --- foreign keys ----------------------------------------------------------------

TEST(SqliteStore, ForeignKeysEnforced) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  auto orphan = store->upsert_student(student(12345));
  ASSERT_FALSE(orphan.has_value());
  EXPECT_NE(orphan.error().message.find("FOREIGN KEY constraint failed"), std::string::npos)
      << orphan.error().message;
  EXPECT_EQ(*store->count_students(), 0);

  auto raw = store->connection().exec(
      "INSERT INTO org_node (parent_id, kind, code, name, path) VALUES (999, 'city', '620100', 'x', '/x/')");
  ASSERT_FALSE(raw.has_value());
  EXPECT_NE(raw.error().message.find("FOREIGN KEY"), std::string::npos);
}

// --- organisation tree -------------------------------------------------------------

TEST(OrgTree, PathsFromCodes) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  auto school = store->upsert_school({"1620102001", "城关区第一小学", SchoolStage::kPrimary, t.county});
  ASSERT_TRUE(school) << school.error().describe();
  EXPECT_EQ(school->outcome, Outcome::kInserted);

  EXPECT_EQ((*store->get_org_node(t.province))->path, "/62/");
  EXPECT_EQ((*store->get_org_node(t.city))->path, "/62/6201/");
  EXPECT_EQ((*store->get_org_node(t.county))->path, "/62/6201/620102/");
  auto found = store->find_school("1620102001");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->path, "/62/6201/620102/1620102001/");
  EXPECT_EQ((*found)->org_id, school->id);
  EXPECT_EQ((*found)->stage, SchoolStage::kPrimary);
  auto node = store->find_org_node("1620102001");
  ASSERT_TRUE(node && *node);
  EXPECT_EQ((*node)->kind, OrgKind::kSchool);
  EXPECT_EQ((*node)->parent_id, t.county);
}

TEST(OrgTree, SubtreeByPrefixStaysInsideTheNode) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  ASSERT_TRUE(store->upsert_school({"1620102001", "一小", std::nullopt, t.county}));
  ASSERT_TRUE(store->upsert_school({"1620102002", "二小", std::nullopt, t.county}));
  ASSERT_TRUE(store->upsert_school({"1620103001", "七里河一小", std::nullopt, t.county2}));
  ASSERT_TRUE(store->upsert_school({"1110101001", "东城一小", std::nullopt, t.other_county}));

  auto county = store->org_subtree("/62/6201/620102/");
  ASSERT_TRUE(county);
  ASSERT_EQ(county->size(), 3u);
  EXPECT_EQ((*county)[0].code, "620102");
  EXPECT_EQ((*county)[1].code, "1620102001");
  EXPECT_EQ((*county)[2].code, "1620102002");

  auto province = store->org_subtree("/62/");
  ASSERT_TRUE(province);
  EXPECT_EQ(province->size(), 7u);  // province, city, 2 counties, 3 schools
  for (const auto& n : *province) EXPECT_EQ(n.path.rfind("/62/", 0), 0u) << n.path;

  auto schools = store->schools_under("/62/6201/");
  ASSERT_TRUE(schools);
  ASSERT_EQ(schools->size(), 3u);
  EXPECT_EQ((*schools)[2].school_code, "1620103001");

  auto all = store->org_subtree("");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 11u);
}

TEST(OrgTree, MovedNodeTakesItsSubtree) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  ASSERT_TRUE(store->upsert_school({"1620102001", "一小", std::nullopt, t.county}));
  // A school transferred to another county (re-parented by upsert).
  auto moved = store->upsert_school({"1620102001", "一小", std::nullopt, t.county2});
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->outcome, Outcome::kUpdated);
  EXPECT_EQ((*store->find_school("1620102001"))->path, "/62/6201/620103/1620102001/");

  // A county moved under another city: its school follows.
  const int64_t other_city = store->upsert_org_node({t.province, OrgKind::kCity, "620200", "嘉峪关市"})->id;
  auto county = store->upsert_org_node({other_city, OrgKind::kCounty, "620103", "七里河区"});
  ASSERT_TRUE(county);
  EXPECT_EQ(county->outcome, Outcome::kUpdated);
  EXPECT_EQ((*store->find_school("1620102001"))->path, "/62/6202/620103/1620102001/");
  EXPECT_EQ((*store->get_org_node(t.county))->path, "/62/6201/620102/");  // the sibling stays
}

TEST(OrgTree, KindsMustNest) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  EXPECT_FALSE(store->upsert_org_node({std::nullopt, OrgKind::kCity, "620100", "x"}));
  EXPECT_FALSE(store->upsert_org_node({t.county, OrgKind::kCity, "620900", "x"}));
  EXPECT_FALSE(store->upsert_org_node({int64_t{424242}, OrgKind::kCounty, "620999", "x"}));
  // A school must hang under a county.
  EXPECT_FALSE(store->upsert_school({"1620102001", "一小", std::nullopt, t.city}));
}

TEST(OrgTree, UpsertByCode) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  auto same = store->upsert_org_node({t.city, OrgKind::kCounty, "620102", "城关区"});
  ASSERT_TRUE(same);
  EXPECT_EQ(same->outcome, Outcome::kUnchanged);
  EXPECT_EQ(same->id, t.county);
  auto renamed = store->upsert_org_node({t.city, OrgKind::kCounty, "620102", "城关"});
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->outcome, Outcome::kUpdated);
  EXPECT_EQ((*store->get_org_node(t.county))->name, "城关");

  ASSERT_TRUE(store->upsert_school({"1620102001", "一小", std::nullopt, t.county}));
  EXPECT_EQ(store->upsert_school({"1620102001", "一小", std::nullopt, t.county})->outcome, Outcome::kUnchanged);
  EXPECT_EQ(store->upsert_school({"1620102001", "一小", SchoolStage::kNineYear, t.county})->outcome,
            Outcome::kUpdated);
  EXPECT_EQ(store->upsert_school({"1620102001", "第一小学", SchoolStage::kNineYear, t.county})->outcome,
            Outcome::kUpdated);
  EXPECT_EQ((*store->find_org_node("1620102001"))->name, "第一小学");
}

TEST(PrefixUpperBound, IncrementsLastByte) {
  EXPECT_EQ(prefix_upper_bound("/62/"), "/620");
  EXPECT_EQ(prefix_upper_bound("/"), "0");
  EXPECT_EQ(prefix_upper_bound(std::string("a\xff", 2)), "b");
}

// --- students and guardians ----------------------------------------------------------

TEST(Students, UpsertInsertUnchangedUpdated) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  const int64_t school = store->upsert_school({"1620102001", "一小", std::nullopt, t.county})->id;

  StudentInput s = student(school);
  auto first = store->upsert_student(s);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->outcome, Outcome::kInserted);
  EXPECT_EQ(store->upsert_student(s)->outcome, Outcome::kUnchanged);

  s.grade = 5;
  auto second = store->upsert_student(s);
  EXPECT_EQ(second->outcome, Outcome::kUpdated);
  EXPECT_EQ(second->id, first->id);
  s.bank_card.reset();
  EXPECT_EQ(store->upsert_student(s)->outcome, Outcome::kUpdated);
  EXPECT_EQ(store->upsert_student(s)->outcome, Outcome::kUnchanged);

  auto found = store->find_student(SensitiveText("G620102201501010018"));
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->data, s);
  EXPECT_EQ(*store->count_students(), 1);
  EXPECT_FALSE(*store->find_student(SensitiveText("G000000000000000000")));
}

TEST(Students, DataScopeByPath) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  const int64_t a = store->upsert_school({"1620102001", "一小", std::nullopt, t.county})->id;
  const int64_t b = store->upsert_school({"1620103001", "二小", std::nullopt, t.county2})->id;
  ASSERT_TRUE(store->upsert_student(student(a, "J620102201501010011")));
  ASSERT_TRUE(store->upsert_student(student(b, "J620102201501010022")));
  auto county = store->students_under("/62/6201/620102/");
  ASSERT_TRUE(county);
  ASSERT_EQ(county->size(), 1u);
  EXPECT_EQ((*county)[0].data.student_no.plain(), "J620102201501010011");
  EXPECT_EQ(store->students_under("/62/")->size(), 2u);
  EXPECT_EQ(store->students_under("/11/")->size(), 0u);
}

TEST(Guardians, UpsertByIdKeepsPhoneWhenAbsent) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  GuardianInput g{"张大山", SensitiveText("62010219800101001X"), SensitiveText("13900000000")};
  auto first = store->upsert_guardian(g);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->outcome, Outcome::kInserted);
  EXPECT_EQ(store->upsert_guardian(g)->outcome, Outcome::kUnchanged);
  EXPECT_EQ(store->upsert_guardian({"张大山", g.id_number, std::nullopt})->outcome, Outcome::kUnchanged);
  EXPECT_EQ(store->upsert_guardian({"张山", g.id_number, std::nullopt})->outcome, Outcome::kUpdated);
  auto found = store->find_guardian(g.id_number);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->name, "张山");
  EXPECT_EQ((*found)->phone, g.phone);
  EXPECT_EQ((*found)->id, first->id);
}

// --- the sensitive-column boundary --------------------------------------------------

TEST(Sensitive, IdentityCodecRoundTrips) {
  const auto& codec = identity_codec();
  EXPECT_EQ(codec.encode_for_storage(SensitiveKind::kBankCard, "6222"), "6222");
  EXPECT_EQ(*codec.decode(SensitiveKind::kBankCard, "6222"), "6222");
  EXPECT_EQ(codec.blind_index(SensitiveKind::kBankCard, "6222"), "6222");
}

TEST(Sensitive, EveryColumnGoesThroughTheCodec) {
  TempDir dir;
  const std::string path = dir.file("z.db");
  static const testing::ScramblingCodec codec;
  SqliteOptions options;
  options.codec = &codec;
  auto store = open_or_die(path, options);
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  const int64_t school = store->upsert_school({"1620102001", "一小", std::nullopt, t.county})->id;
  const int64_t guardian =
      store->upsert_guardian({"张大山", SensitiveText("62010219800101001X"), SensitiveText("13912345678")})->id;
  StudentInput s = student(school);
  s.guardian_id = guardian;
  ASSERT_TRUE(store->upsert_student(s));

  // Read back through the codec: equal to what went in, and unchanged on a
  // second upsert (comparison is on decoded values).
  auto found = store->find_student(s.student_no);
  ASSERT_TRUE(found && *found) << (found ? "" : found.error().describe());
  EXPECT_EQ((*found)->data, s);
  EXPECT_EQ(store->upsert_student(s)->outcome, Outcome::kUnchanged);
  EXPECT_EQ((*store->find_guardian(SensitiveText("62010219800101001X")))->phone, SensitiveText("13912345678"));

  // No plain value is in any sensitive column or its index.
  for (const char* column : {"student_no", "student_no_index", "id_number", "id_number_index", "bank_card",
                             "bank_card_index"}) {
    const std::string stored = text(*store, std::string("SELECT ") + column + " FROM student");
    EXPECT_EQ(stored.find("620102201501010018"), std::string::npos) << column << " = " << stored;
    EXPECT_EQ(stored.find("6222020200112233445"), std::string::npos) << column << " = " << stored;
    EXPECT_EQ(stored.rfind(std::string_view(column).ends_with("_index") ? "idx:" : "enc:", 0), 0u) << stored;
  }
  for (const char* column : {"id_number", "id_number_index", "phone", "phone_index"}) {
    const std::string stored = text(*store, std::string("SELECT ") + column + " FROM guardian");
    EXPECT_EQ(stored.find("62010219800101001X"), std::string::npos) << column;
    EXPECT_EQ(stored.find("13912345678"), std::string::npos) << column;
  }

  // A stored value the codec did not write is an error, not garbage.
  ASSERT_TRUE(store->connection().exec("UPDATE student SET bank_card = 'tampered'"));
  auto tampered = store->find_student(s.student_no);
  ASSERT_FALSE(tampered.has_value());
  EXPECT_EQ(tampered.error().code, "DECRYPT");
}

// --- transactions and statements -----------------------------------------------------

TEST(Transactions, GuardRollsBackUnlessCommitted) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  const int64_t school = store->upsert_school({"1620102001", "一小", std::nullopt, t.county})->id;
  {
    auto tx = Transaction::begin(*store);
    ASSERT_TRUE(tx);
    EXPECT_TRUE(store->in_transaction());
    ASSERT_TRUE(store->upsert_student(student(school)));
    EXPECT_EQ(*store->count_students(), 1);
  }
  EXPECT_FALSE(store->in_transaction());
  EXPECT_EQ(*store->count_students(), 0);
  {
    auto tx = Transaction::begin(*store);
    ASSERT_TRUE(tx);
    EXPECT_FALSE(store->begin().has_value());  // no nesting
    ASSERT_TRUE(store->upsert_student(student(school)));
    ASSERT_TRUE(tx->commit());
    EXPECT_FALSE(tx->commit().has_value());
  }
  EXPECT_EQ(*store->count_students(), 1);
}

TEST(Statements, PreparedOnceAndReused) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  const int64_t school = store->upsert_school({"1620102001", "一小", std::nullopt, t.county})->id;
  ASSERT_TRUE(store->upsert_student(student(school, "J000000000000000001")));
  const size_t cached = store->connection().cached_statements();
  for (int i = 2; i < 50; ++i) {
    std::string no = std::to_string(i);
    no.insert(0, 18 - no.size(), '0');
    ASSERT_TRUE(store->upsert_student(student(school, "J" + no)));
  }
  EXPECT_EQ(store->connection().cached_statements(), cached);
  EXPECT_EQ(*store->count_students(), 49);
}

}  // namespace
}  // namespace zizhu::store::sqlite
