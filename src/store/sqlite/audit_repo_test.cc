// The audit log's storage: records as given, the head, the auditor's query,
// and the triggers that make the log append-only through the program. The
// chain itself (MACs, verify) is tested in oversight/audit_chain_test.cc.
#include <gtest/gtest.h>

#include "store/sqlite/repo_test_util.h"

namespace zizhu::store::sqlite {
namespace {

using testing::open_or_die;
using testing::scalar;

AuditRecord record(int64_t seq) {
  AuditRecord r;
  r.seq = seq;
  r.at_ms = 1000 * seq;
  r.user_id = seq % 3 == 0 ? std::nullopt : std::optional<int64_t>(seq % 3);
  r.username = "user" + std::to_string(seq % 3);
  r.roles = "county_officer";
  r.org_id = 3;
  r.org_path = seq % 2 ? "/62/6201/620102/" : "/11/1101/110101/";
  r.ip = "10.0.0.1";
  r.user_agent = "ua";
  r.action = seq % 4 == 0 ? "student.reveal" : "user.create";
  r.object_type = seq % 4 == 0 ? "student" : "user";
  r.object_id = std::to_string(100 + seq);
  r.outcome = seq == 5 ? "denied" : "ok";
  r.summary = "{\"n\":\"" + std::to_string(seq) + "\"}";
  r.key_id = "k1";
  r.prev_mac = std::string(64, static_cast<char>('0' + (seq - 1) % 10));
  r.mac = std::string(64, static_cast<char>('0' + seq % 10));
  return r;
}

std::unique_ptr<SqliteStore> store_with(int64_t records, const std::string& path = ":memory:") {
  auto store = open_or_die(path);
  if (!store) return nullptr;
  for (int64_t seq = 1; seq <= records; ++seq) EXPECT_TRUE(store->append_audit(record(seq)));
  return store;
}

TEST(AuditLog, AppendLastAndRange) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  EXPECT_FALSE(*store->last_audit());
  EXPECT_TRUE(store->audit_range(0, 10)->empty());
  for (int64_t seq = 1; seq <= 25; ++seq) ASSERT_TRUE(store->append_audit(record(seq)));

  auto last = store->last_audit();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ(**last, record(25));
  auto range = store->audit_range(10, 10);
  ASSERT_TRUE(range);
  ASSERT_EQ(range->size(), 10u);
  EXPECT_EQ(range->front(), record(11));
  EXPECT_EQ(range->back(), record(20));
  EXPECT_EQ(store->audit_range(20, 10)->size(), 5u);
  EXPECT_FALSE(store->audit_range(0, kPageRowsMax + 1));

  EXPECT_EQ(*store->audit_seq_with_mac(record(7).mac), 7);
  EXPECT_FALSE(*store->audit_seq_with_mac("ff"));

  auto bad = record(26);
  bad.outcome = "maybe";
  EXPECT_FALSE(store->append_audit(bad));
}

TEST(AuditLog, Head) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  EXPECT_FALSE(*store->audit_head());
  const AuditHead first{1, std::string(64, 'a'), "k1", std::string(64, 'b')};
  ASSERT_TRUE(store->set_audit_head(first));
  EXPECT_EQ(**store->audit_head(), first);
  const AuditHead second{2, std::string(64, 'c'), "k2", std::string(64, 'd')};
  ASSERT_TRUE(store->set_audit_head(second));
  EXPECT_EQ(**store->audit_head(), second);
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM audit_head"), 1);
}

TEST(AuditLog, AppendOnlyThroughTheProgram) {
  auto store = store_with(5);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->set_audit_head({5, record(5).mac, "k1", std::string(64, 'e')}));
  auto& db = store->connection();
  for (const char* sql : {
           "UPDATE audit_log SET outcome = 'denied' WHERE seq = 2",
           "UPDATE audit_log SET seq = 9 WHERE seq = 5",
           "DELETE FROM audit_log WHERE seq = 5",
           "DELETE FROM audit_log",
           // REPLACE would delete the old row without a DELETE trigger.
           "INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log WHERE seq = 3",
           // Only after the last record.
           "INSERT INTO audit_log (seq, at_ms, username, roles, org_path, ip, user_agent, action, object_type,"
           " object_id, outcome, summary, key_id, prev_mac, mac)"
           " VALUES (0, 0, 'x', '', '/', '', '', 'x', '', '', 'ok', '{}', 'k1', '', '')",
           "DELETE FROM audit_head",
       }) {
    auto r = db.exec(sql);
    ASSERT_FALSE(r) << sql;
    EXPECT_NE(r.error().message.find("audit_"), std::string::npos) << r.error().message;
  }
  auto r = db.exec("DELETE FROM audit_log WHERE seq = 1");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("append-only"), std::string::npos) << r.error().message;
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM audit_log"), 5);
  EXPECT_EQ(**store->last_audit(), record(5));
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM audit_head"), 1);
}

TEST(AuditLog, TriggersHoldForAnyConnection) {
  store::testing::TempDir dir;
  const std::string path = dir.file("a.db");
  { ASSERT_TRUE(store_with(3, path)); }
  // Another program on the file (the sqlite3 shell) meets the same triggers
  // until it drops them.
  EXPECT_NE(testing::exec_raw(path, "DELETE FROM audit_log WHERE seq = 1").find("append-only"), std::string::npos);
  EXPECT_NE(testing::exec_raw(path, "UPDATE audit_log SET summary = '{}'").find("append-only"), std::string::npos);
}

TEST(AuditLog, AuditorsQuery) {
  auto store = store_with(40);
  ASSERT_TRUE(store);
  auto all = store->audit_page("/", {}, 0, 10);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 40);
  ASSERT_EQ(all->items.size(), 10u);
  EXPECT_EQ(all->items.front().seq, 40);  // newest first
  EXPECT_EQ(all->items.back().seq, 31);
  auto last_page = store->audit_page("/", {}, 35, 10);
  ASSERT_TRUE(last_page);
  ASSERT_EQ(last_page->items.size(), 5u);
  EXPECT_EQ(last_page->items.back().seq, 1);

  // Data scope: the records of the subtree's users.
  auto gansu = store->audit_page("/62/", {}, 0, 100);
  ASSERT_TRUE(gansu);
  EXPECT_EQ(gansu->total, 20);
  for (const auto& r : gansu->items) EXPECT_EQ(r.org_path, "/62/6201/620102/");
  auto county_of_other = store->audit_page("/62/6201/620103/", {}, 0, 100);
  ASSERT_TRUE(county_of_other);
  EXPECT_EQ(county_of_other->total, 0);

  AuditFilter f;
  f.action = "student.reveal";
  auto reveals = store->audit_page("/", f, 0, 100);
  ASSERT_TRUE(reveals);
  EXPECT_EQ(reveals->total, 10);
  f.object_type = "student";
  f.object_id = "108";
  reveals = store->audit_page("/", f, 0, 100);
  ASSERT_TRUE(reveals);
  ASSERT_EQ(reveals->total, 1);
  EXPECT_EQ(reveals->items[0].seq, 8);

  AuditFilter when;
  when.from_ms = 10'000;
  when.to_ms = 20'000;  // seq 10..19
  EXPECT_EQ(store->audit_page("/", when, 0, 100)->total, 10);
  AuditFilter who;
  who.user_id = 1;
  EXPECT_EQ(store->audit_page("/", who, 0, 100)->total, 14);  // seq % 3 == 1
  AuditFilter name;
  name.username = "user0";
  EXPECT_EQ(store->audit_page("/", name, 0, 100)->total, 13);  // seq % 3 == 0
  AuditFilter denied;
  denied.outcome = "denied";
  EXPECT_EQ(store->audit_page("/", denied, 0, 100)->total, 1);
  EXPECT_FALSE(store->audit_page("/", {}, 0, kPageRowsMax + 1));
}

}  // namespace
}  // namespace zizhu::store::sqlite
