#include "store/sqlite/reseal.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "crypto/sealed.h"
#include "store/sealed_codec.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace zizhu::store::sqlite {
namespace {

using testing::TempDir;

const std::string kK1 = "k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kK2 = "k2 ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

crypto::KeyRing ring_of(const std::string& text) {
  auto ring = crypto::KeyRing::parse(text, "test");
  if (!ring) std::abort();
  return std::move(*ring);
}

std::unique_ptr<SqliteStore> open_with(const std::string& path, const SensitiveCodec& codec) {
  auto store = SqliteStore::open(path, SqliteOptions{.codec = &codec});
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().describe());
  return store ? std::move(*store) : nullptr;
}

std::string student_no(int i) { return "G62010220150101" + std::to_string(1000 + i); }
std::string id_number(int i) { return "62010220150101" + std::to_string(1000 + i); }
std::string card(int i) { return "622202020011223" + std::to_string(1000 + i); }

constexpr int kStudents = 25;

// A county, a school, a guardian and kStudents students (every third without
// a bank card), all written through `codec`.
void fill(Store& store) {
  const int64_t province = store.upsert_org_node({std::nullopt, OrgKind::kProvince, "620000", "甘肃省"})->id;
  const int64_t city = store.upsert_org_node({province, OrgKind::kCity, "620100", "兰州市"})->id;
  const int64_t county = store.upsert_org_node({city, OrgKind::kCounty, "620102", "城关区"})->id;
  const int64_t school = store.upsert_school({"1620102001", "城关区第一小学", SchoolStage::kPrimary, county})->id;
  auto guardian = store.upsert_guardian({"张大山", SensitiveText("620102198001011234"), SensitiveText("13800138000")});
  ASSERT_TRUE(guardian) << guardian.error().describe();
  for (int i = 0; i < kStudents; ++i) {
    StudentInput s;
    s.student_no = SensitiveText(student_no(i));
    s.name = "学生" + std::to_string(i);
    s.id_number = SensitiveText(id_number(i));
    s.school_id = school;
    s.grade = 1 + i % 9;
    s.class_name = "1班";
    s.guardian_name = "张大山";
    s.guardian_id = guardian->id;
    if (i % 3 != 0) s.bank_card = SensitiveText(card(i));
    auto up = store.upsert_student(s);
    ASSERT_TRUE(up) << up.error().describe();
  }
}

// Every stored value and index of every sealed column, keyed by table.column:rowid.
std::map<std::string, std::string> raw_values(SqliteStore& store) {
  std::map<std::string, std::string> out;
  for (const SealedColumn& col : sealed_columns()) {
    const std::string c(col.column);
    auto stmt = store.connection().prepare("SELECT rowid, " + c + ", " + c + "_index FROM " + std::string(col.table) +
                                           " WHERE " + c + " IS NOT NULL");
    EXPECT_TRUE(stmt.has_value());
    while (*stmt->step()) {
      const std::string key = std::string(col.table) + "." + c + ":" + std::to_string(stmt->int_at(0));
      out[key] = stmt->text_at(1);
      out[key + "_index"] = stmt->text_at(2);
    }
  }
  return out;
}

void expect_all_readable(SqliteStore& store) {
  for (int i = 0; i < kStudents; ++i) {
    auto found = store.find_student(SensitiveText(student_no(i)));
    ASSERT_TRUE(found.has_value()) << found.error().describe();
    ASSERT_TRUE(found->has_value()) << student_no(i);
    EXPECT_EQ((*found)->data.id_number, SensitiveText(id_number(i)));
    if (i % 3 != 0) {
      EXPECT_EQ((*found)->data.bank_card, SensitiveText(card(i)));
    } else {
      EXPECT_FALSE((*found)->data.bank_card.has_value());
    }
  }
  auto guardian = store.find_guardian(SensitiveText("620102198001011234"));
  ASSERT_TRUE(guardian.has_value() && guardian->has_value());
  EXPECT_EQ((*guardian)->phone, SensitiveText("13800138000"));
  auto all = store.students_under("/62/");
  ASSERT_TRUE(all.has_value()) << all.error().describe();
  EXPECT_EQ(all->size(), static_cast<size_t>(kStudents));
}

TEST(Reseal, RotationThenTheOldKeyCanBeDropped) {
  TempDir dir;
  const std::string path = dir.file("z.db");
  const crypto::KeyRing ring1 = ring_of(kK1);
  const SealedCodec codec1(ring1);
  {
    auto store = open_with(path, codec1);
    ASSERT_TRUE(store);
    fill(*store);
    for (const auto& [key, value] : raw_values(*store)) {
      if (key.ends_with("_index")) continue;
      EXPECT_EQ(value.rfind("v1.k1.", 0), 0u) << key;
    }
  }

  // Rotate: k2 becomes active, everything is resealed under it.
  const crypto::KeyRing ring12 = ring_of(kK1 + "\n" + kK2);
  const SealedCodec codec12(ring12);
  {
    auto store = open_with(path, codec12);
    ASSERT_TRUE(store);
    // Before the reseal, lookups under the new active key find nothing: the
    // indexes are still k1's.
    auto missing = store->find_student(SensitiveText(student_no(0)));
    ASSERT_TRUE(missing.has_value());
    EXPECT_FALSE(missing->has_value());

    const int with_card_before = kStudents - (kStudents + 2) / 3;
    EXPECT_EQ(count_values_by_key(store->connection()),
              (std::map<std::string, int64_t>{{"k1", 2 + 2 * kStudents + with_card_before}}));
    auto report = reseal_all(store->connection(), codec1, codec12);
    ASSERT_TRUE(report.has_value()) << report.error().describe();
    EXPECT_EQ(count_values_by_key(store->connection()),
              (std::map<std::string, int64_t>{{"k2", 2 + 2 * kStudents + with_card_before}}));
    const int with_card = kStudents - (kStudents + 2) / 3;
    std::map<std::string, int64_t> counts;
    for (const auto& c : report->columns) counts[c.table + "." + c.column] = c.values;
    // (No department list in this database: its column is walked, empty.)
    EXPECT_EQ(counts, (std::map<std::string, int64_t>{{"dept_list_entry.id_number", 0},
                                                      {"guardian.id_number", 1},
                                                      {"guardian.phone", 1},
                                                      {"student.student_no", kStudents},
                                                      {"student.id_number", kStudents},
                                                      {"student.bank_card", with_card}}));
    EXPECT_EQ(report->values_total, 2 + 2 * kStudents + with_card);
    for (const auto& [key, value] : raw_values(*store)) {
      if (key.ends_with("_index")) continue;
      EXPECT_EQ(value.rfind("v1.k2.", 0), 0u) << key;
    }
    expect_all_readable(*store);
  }

  // k1 dropped from the ring: every row still decodes and is found.
  const SealedCodec codec2(ring_of(kK2));
  auto store = open_with(path, codec2);
  ASSERT_TRUE(store);
  expect_all_readable(*store);
  // And the old codec can read nothing any more.
  auto old_store = open_with(path, codec1);
  ASSERT_TRUE(old_store);
  auto students = old_store->students_under("/62/");
  ASSERT_FALSE(students.has_value());
  EXPECT_EQ(students.error().code, "UNKNOWN_KEY");
}

TEST(Reseal, AnUndecodableValueChangesNothing) {
  TempDir dir;
  const std::string path = dir.file("z.db");
  const SealedCodec codec1(ring_of(kK1));
  const SealedCodec codec12(ring_of(kK1 + "\n" + kK2));
  auto store = open_with(path, codec1);
  ASSERT_TRUE(store);
  fill(*store);
  // A value changed behind the program's back, in the last column resealed,
  // so that the columns before it were already rewritten when it is found.
  auto found = store->find_student(SensitiveText(student_no(7)));
  ASSERT_TRUE(found.has_value() && found->has_value());
  const int64_t victim = (*found)->id;
  std::string stored = raw_values(*store).at("student.bank_card:" + std::to_string(victim));
  stored[10] = stored[10] == 'A' ? 'B' : 'A';
  {
    auto change = store->connection().prepare("UPDATE student SET bank_card = ?1 WHERE id = ?2");
    ASSERT_TRUE(change.has_value());
    change->bind_text(1, stored).bind_int(2, victim);
    ASSERT_TRUE(change->run());
  }

  const auto before = raw_values(*store);
  auto report = reseal_all(store->connection(), codec1, codec12);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, "TAMPERED");
  EXPECT_NE(report.error().message.find("student.bank_card (id " + std::to_string(victim) + ")"), std::string::npos)
      << report.error().message;
  EXPECT_EQ(raw_values(*store), before);
  EXPECT_TRUE(store->connection().autocommit());
}

// Values sealed outside the codec (a TOTP secret) are not resealed, and audit
// records name the key of their chain; both are counted: a key they use must
// stay in the ring.
TEST(Reseal, CountsValuesSealedElsewhereButLeavesThem) {
  const crypto::KeyRing ring1 = ring_of(kK1);
  const SealedCodec codec1(ring1);
  const SealedCodec codec12(ring_of(kK1 + "\n" + kK2));
  auto store = open_with(":memory:", codec1);
  ASSERT_TRUE(store);
  fill(*store);
  const std::string secret = crypto::Sealer(ring1).seal("app_user.totp_secret", "twenty bytes secret!");
  {
    // The columns of migration 0002 that have no default.
    auto insert = store->connection().prepare(
        "INSERT INTO app_user (username, display_name, org_id, password_hash, must_change_password, totp_secret, "
        "created_at_ms, password_changed_at_ms) VALUES ('officer', 'officer', (SELECT MIN(id) FROM org_node), 'x', 0, "
        "?1, 0, 0)");
    ASSERT_TRUE(insert.has_value()) << insert.error().describe();
    insert->bind_text(1, secret);
    auto ran = insert->run();
    ASSERT_TRUE(ran.has_value()) << ran.error().describe();
  }
  {
    // An audit record written under k1: its chain needs k1 as long as it is kept.
    auto insert = store->connection().prepare(
        "INSERT INTO audit_log VALUES (1, 0, NULL, 'officer', '', NULL, '/', '', '', 'login', 'user', '1', 'ok', '', "
        "'k1', '', 'mac')");
    ASSERT_TRUE(insert.has_value()) << insert.error().describe();
    auto ran = insert->run();
    ASSERT_TRUE(ran.has_value()) << ran.error().describe();
  }
  auto report = reseal_all(store->connection(), codec1, codec12);
  ASSERT_TRUE(report.has_value()) << report.error().describe();
  auto counts = count_values_by_key(store->connection());
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->at("k1"), 2);  // the TOTP secret and the audit record
  EXPECT_EQ(counts->at("k2"), report->values_total);
  EXPECT_EQ(crypto::Sealer(ring1).open("app_user.totp_secret", secret), "twenty bytes secret!");
}

TEST(Reseal, RefusedInsideAnOpenTransaction) {
  const SealedCodec codec1(ring_of(kK1));
  auto store = open_with(":memory:", codec1);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->begin());
  auto report = reseal_all(store->connection(), codec1, codec1);
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, "DB");
  ASSERT_TRUE(store->rollback());
}

// A database written without keys (the identity codec) sealed in place.
TEST(Reseal, SealsAPlainDatabase) {
  TempDir dir;
  const std::string path = dir.file("z.db");
  const SealedCodec codec1(ring_of(kK1));
  // One connection throughout, so that the WAL still holds the frames that
  // wrote the plain values when the reseal runs.
  auto plain_store = open_with(path, identity_codec());
  ASSERT_TRUE(plain_store);
  fill(*plain_store);
  EXPECT_EQ(count_values_by_key(plain_store->connection()),
            (std::map<std::string, int64_t>{{"", 2 + 2 * kStudents + (kStudents - (kStudents + 2) / 3)}}));
  auto report = reseal_all(plain_store->connection(), identity_codec(), codec1);
  ASSERT_TRUE(report.has_value()) << report.error().describe();
  EXPECT_TRUE(report->wal_emptied);
  // Not left behind in freed space of the file, nor in the WAL.
  for (const std::string& file : {path, path + "-wal"}) {
    const std::string bytes = testing::read_file(file);
    for (int i = 0; i < kStudents; ++i) {
      EXPECT_EQ(bytes.find(id_number(i)), std::string::npos) << file << " " << i;
      EXPECT_EQ(bytes.find(student_no(i)), std::string::npos) << file << " " << i;
    }
    EXPECT_EQ(bytes.find("13800138000"), std::string::npos) << file;
    EXPECT_EQ(bytes.find("620102198001011234"), std::string::npos) << file;
  }
  auto store = open_with(path, codec1);
  ASSERT_TRUE(store);
  expect_all_readable(*store);
}

// The one list must hold every sensitive column pair of the schema: each
// `x_index` column of every table must have its `x` listed.
TEST(Reseal, EveryIndexedColumnOfTheSchemaIsListed) {
  auto store = open_with(":memory:", identity_codec());
  ASSERT_TRUE(store);
  std::set<std::string> listed;
  for (const SealedColumn& col : sealed_columns())
    listed.insert(std::string(col.table) + "." + std::string(col.column));
  std::set<std::string> in_schema;
  std::vector<std::string> names;
  {
    auto tables = store->connection().prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    ASSERT_TRUE(tables.has_value());
    while (*tables->step()) names.push_back(tables->text_at(0));
  }
  for (const std::string& table : names) {
    auto columns = store->connection().prepare("SELECT name FROM pragma_table_info(?1)");
    ASSERT_TRUE(columns.has_value());
    columns->bind_text(1, table);
    while (*columns->step()) {
      const std::string name = columns->text_at(0);
      if (name.ends_with("_index")) in_schema.insert(table + "." + name.substr(0, name.size() - 6));
    }
  }
  EXPECT_EQ(in_schema, listed);
}

}  // namespace
}  // namespace zizhu::store::sqlite
