// Helpers for the repository tests (*_repo_test.cc) only: a store, a small
// organisation tree of two provinces, schools, students, users.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace zizhu::store::sqlite::testing {

inline std::unique_ptr<SqliteStore> open_or_die(const std::string& path, SqliteOptions options = {}) {
  auto store = SqliteStore::open(path, options);
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().describe());
  return store ? std::move(*store) : nullptr;
}

inline int64_t scalar(SqliteStore& store, const std::string& sql) {
  auto stmt = store.connection().prepare(sql);
  EXPECT_TRUE(stmt.has_value()) << (stmt ? "" : stmt.error().describe());
  if (!stmt) return -1;
  auto row = stmt->step();
  EXPECT_TRUE(row.has_value() && *row) << sql;
  return stmt->int_at(0);
}

// Runs statements on the file through a connection of its own, as another
// program (the sqlite3 shell of someone with access to the disk) would.
inline std::string exec_raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  sqlite3_busy_timeout(db, 5000);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::string error = rc == SQLITE_OK ? "" : (message != nullptr ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  sqlite3_close(db);
  return error;
}

// 甘肃 620000 / 兰州 620100 / 城关区 620102 (schools 1620102001, 1620102002),
// 七里河区 620103 (school 1620103001); 北京 110000 / 110100 / 东城区 110101
// (school 1110101001).
struct Tree {
  int64_t province = 0, city = 0, county = 0, county2 = 0, bj_province = 0, bj_county = 0;
  int64_t school_a1 = 0, school_a2 = 0, school_b = 0, school_bj = 0;
  std::string county_path, county2_path, bj_path;
};

inline Tree build_tree(Store& store) {
  Tree t;
  t.province = store.upsert_org_node({std::nullopt, OrgKind::kProvince, "620000", "甘肃省"})->id;
  t.city = store.upsert_org_node({t.province, OrgKind::kCity, "620100", "兰州市"})->id;
  t.county = store.upsert_org_node({t.city, OrgKind::kCounty, "620102", "城关区"})->id;
  t.county2 = store.upsert_org_node({t.city, OrgKind::kCounty, "620103", "七里河区"})->id;
  t.bj_province = store.upsert_org_node({std::nullopt, OrgKind::kProvince, "110000", "北京市"})->id;
  const int64_t bj_city = store.upsert_org_node({t.bj_province, OrgKind::kCity, "110100", "市辖区"})->id;
  t.bj_county = store.upsert_org_node({bj_city, OrgKind::kCounty, "110101", "东城区"})->id;
  // Codes chosen so that school-code order differs from path order
  // (1110101001 sorts first but lies in the other province).
  t.school_a1 = store.upsert_school({"1620102001", "城关一小", SchoolStage::kPrimary, t.county})->id;
  t.school_a2 = store.upsert_school({"1620102002", "城关二小", SchoolStage::kPrimary, t.county})->id;
  t.school_b = store.upsert_school({"1620103001", "七里河一小", SchoolStage::kPrimary, t.county2})->id;
  t.school_bj = store.upsert_school({"1110101001", "东城一小", SchoolStage::kPrimary, t.bj_county})->id;
  t.county_path = (*store.get_org_node(t.county))->path;
  t.county2_path = (*store.get_org_node(t.county2))->path;
  t.bj_path = (*store.get_org_node(t.bj_county))->path;
  return t;
}

inline UserInput user_input(std::string username, int64_t org_id, std::vector<std::string> roles) {
  UserInput u;
  u.username = std::move(username);
  u.display_name = "测试用户";
  u.org_id = org_id;
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
  u.roles = std::move(roles);
  u.created_at_ms = 1'700'000'000'000;
  return u;
}

}  // namespace zizhu::store::sqlite::testing
