#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "store/migrations.h"
#include "store/sqlite/migrate.h"
#include "store/sqlite/repo_test_util.h"

namespace zizhu::store::sqlite {
namespace {

using testing::build_tree;
using testing::open_or_die;
using testing::scalar;
using testing::Tree;
using testing::user_input;
using Strings = std::vector<std::string>;

// --- migration 2 ------------------------------------------------------------------

TEST(Migration2, AppliedOverVersionOneKeepingTheData) {
  store::testing::TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    auto db = Connection::open(path);
    ASSERT_TRUE(db);
    auto v1 = migrate(*db, migrations().subspan(0, 1));
    ASSERT_TRUE(v1) << v1.error().describe();
    EXPECT_EQ(*v1, 1);
  }
  {
    // A version-1 database with a student in it, as shipped before.
    auto db = Connection::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec(
        "INSERT INTO org_node VALUES (1, NULL, 'province', '620000', '甘肃省', '/62/');"
        "INSERT INTO org_node VALUES (2, 1, 'city', '620100', '兰州市', '/62/6201/');"
        "INSERT INTO org_node VALUES (3, 2, 'county', '620102', '城关区', '/62/6201/620102/');"
        "INSERT INTO org_node VALUES (4, 3, 'school', '1620102001', '一小', '/62/6201/620102/1620102001/');"
        "INSERT INTO school VALUES (4, '1620102001', '一小', NULL, 3);"
        "INSERT INTO student (student_no, student_no_index, name, school_id, grade, class_name, boarding,"
        " guardian_name) VALUES ('G1', 'G1', '张三', 4, 3, '1班', 0, '张父');"));
  }
  auto store = open_or_die(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  EXPECT_EQ(*store->count_students(), 1);
  // Migration 3 counted the student already there.
  EXPECT_EQ(scalar(*store, "SELECT student_count FROM school WHERE org_id = 4"), 1);
  const std::string index = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ";
  EXPECT_EQ(scalar(*store, index + "'student_school_id'"), 1);
  EXPECT_EQ(scalar(*store, index + "'student_school'"), 0);
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM app_user"), 0);
  EXPECT_EQ(*store->count_users(), 0);
}

TEST(Migration2, SecureDeleteIsOn) {
  store::testing::TempDir dir;
  auto store = open_or_die(dir.file("z.db"));
  ASSERT_TRUE(store);
  EXPECT_EQ(scalar(*store, "PRAGMA secure_delete"), 1);
}

// --- migration 16 -----------------------------------------------------------------

// Before 16, locked_until_ms was also set to "now" by a successful login and
// an unlock. The migration keeps real locks, clears the others, and starts
// each user's failure count where the old rule started it.
TEST(Migration16, SplitsTheLockFromTheFailureMark) {
  store::testing::TempDir dir;
  const std::string path = dir.file("v15.db");
  {
    auto db = Connection::open(path);
    ASSERT_TRUE(db);
    auto v15 = migrate(*db, migrations().subspan(0, 15));
    ASSERT_TRUE(v15) << v15.error().describe();
    EXPECT_EQ(*v15, 15);
    const std::string user =
        "INSERT INTO app_user (id, username, display_name, org_id, password_hash, must_change_password,"
        " created_at_ms, password_changed_at_ms, locked_until_ms) VALUES ";
    const std::string event = "INSERT INTO login_event (id, at_ms, username, user_id, ip, user_agent, outcome) VALUES ";
    ASSERT_TRUE(db->exec(
        "INSERT INTO org_node VALUES (1, NULL, 'province', '620000', '甘肃省', '/62/');" +
        // 1 logged in at 50000 (after a failure); 2 was unlocked at 60000; 3
        // is locked until 970000 by failures at 70000; 4 never locked.
        user + "(1, 'okuser', 'a', 1, 'h', 0, 0, 0, 50000);" + user + "(2, 'unlocked', 'b', 1, 'h', 0, 0, 0, 60000);" +
        user + "(3, 'locked', 'c', 1, 'h', 0, 0, 0, 970000);" + user + "(4, 'never', 'd', 1, 'h', 0, 0, 0, NULL);" +
        event + "(10, 40000, 'okuser', 1, '', '', 'bad_password');" +
        event + "(11, 50000, 'okuser', 1, '', '', 'ok');" +
        event + "(12, 55000, 'unlocked', 2, '', '', 'bad_password');" +
        event + "(13, 70000, 'locked', 3, '', '', 'bad_password');" +
        event + "(14, 70001, 'locked', 3, '', '', 'bad_password');" +
        event + "(15, 80000, 'okuser', 1, '', '', 'bad_password');" +  // after the success: still counts
        event + "(16, 1000000, 'unlocked', 2, '', '', 'bad_password');" +
        "INSERT INTO audit_log VALUES (1, 60001, 9, 'admin', '', NULL, '/', '', '', 'user.unlock', 'user', '2', 'ok',"
        " '', 'k1', '', 'mac');"));
  }
  auto store = open_or_die(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  const User ok = **store->get_user(1), unlocked = **store->get_user(2), locked = **store->get_user(3),
             never = **store->get_user(4);
  EXPECT_FALSE(ok.locked_until_ms);
  EXPECT_EQ(ok.failures_after_event_id, 11);
  EXPECT_FALSE(unlocked.locked_until_ms);
  EXPECT_EQ(unlocked.failures_after_event_id, 12);
  EXPECT_EQ(locked.locked_until_ms, 970000);
  EXPECT_EQ(locked.failures_after_event_id, 14);
  EXPECT_FALSE(never.locked_until_ms);
  EXPECT_EQ(never.failures_after_event_id, 0);
  EXPECT_EQ(*store->count_login_failures(1, 0, ok.failures_after_event_id), 1);
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'session_created'"), 1);
}

// --- users ----------------------------------------------------------------------

TEST(Users, CreateFindAndGet) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  UserInput in = user_input("zhang.san", t.county, {"finance", "county_officer", "finance"});
  in.display_name = "张三";
  in.must_change_password = true;
  auto id = store->create_user(in);
  ASSERT_TRUE(id) << id.error().describe();

  auto found = store->find_user_by_username("Zhang.San");  // folded to lower case
  ASSERT_TRUE(found && *found);
  const User& u = **found;
  EXPECT_EQ(u.id, *id);
  EXPECT_EQ(u.username, "zhang.san");
  EXPECT_EQ(u.display_name, "张三");
  EXPECT_EQ(u.org_id, t.county);
  EXPECT_EQ(u.org_path, t.county_path);
  EXPECT_EQ(u.roles, (Strings{"county_officer", "finance"}));  // table order, no repeats
  EXPECT_EQ(u.password_hash, in.password_hash);
  EXPECT_TRUE(u.must_change_password);
  EXPECT_FALSE(u.disabled);
  EXPECT_FALSE(u.totp_enabled);
  EXPECT_FALSE(u.totp_secret);
  EXPECT_FALSE(u.totp_last_step);
  EXPECT_FALSE(u.guardian_id);
  EXPECT_FALSE(u.locked_until_ms);
  EXPECT_EQ(u.created_at_ms, in.created_at_ms);
  EXPECT_EQ(u.password_changed_at_ms, in.created_at_ms);

  auto by_id = store->get_user(*id);
  ASSERT_TRUE(by_id && *by_id);
  EXPECT_EQ(**by_id, u);
  EXPECT_FALSE(*store->get_user(*id + 100));
  EXPECT_FALSE(*store->find_user_by_username("nobody"));
  EXPECT_EQ(*store->count_users(), 1);
}

TEST(Users, NamesAreLowerCaseAsciiAndUnique) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  ASSERT_TRUE(store->create_user(user_input("admin", t.county, {"sysadmin"})));
  for (const std::string& bad : Strings{"Admin2", "张三", "a b", "", std::string(65, 'a'), "tab\t"}) {
    auto r = store->create_user(user_input(bad, t.county, {"reviewer"}));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "BAD_VALUE") << bad;
  }
  auto taken = store->create_user(user_input("admin", t.county2, {"reviewer"}));
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, "CONFLICT");
  auto role = store->create_user(user_input("x1", t.county, {"superuser"}));
  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().code, "BAD_VALUE");
  EXPECT_EQ(*store->count_users(), 1);
}

TEST(Users, CreateIsAllOrNothing) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  build_tree(*store);
  // An org node that does not exist: the user row fails, no role is left.
  auto r = store->create_user(user_input("ghost", 9999, {"reviewer"}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("FOREIGN KEY"), std::string::npos) << r.error().message;
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM app_user"), 0);
  EXPECT_EQ(scalar(*store, "SELECT COUNT(*) FROM user_role"), 0);
  EXPECT_FALSE(store->in_transaction());
}

TEST(Users, CreateInsideTheCallersTransactionRollsBackWithIt) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  {
    auto tx = Transaction::begin(*store);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(store->create_user(user_input("temp", t.county, {"reviewer"})));
    EXPECT_TRUE(store->in_transaction());  // not committed on its own
  }
  EXPECT_EQ(*store->count_users(), 0);
}

TEST(Users, GuardianAccountLinksToItsHousehold) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  auto g = store->upsert_guardian({"张大山", SensitiveText("620102198001010011"), std::nullopt});
  ASSERT_TRUE(g);
  UserInput in = user_input("parent", t.school_a1, {"guardian"});
  in.guardian_id = g->id;
  auto id = store->create_user(in);
  ASSERT_TRUE(id) << id.error().describe();
  EXPECT_EQ((*store->get_user(*id))->guardian_id, g->id);
  in.username = "parent2";
  in.guardian_id = 4242;
  EXPECT_FALSE(store->create_user(in));  // no such guardian
}

class UserList : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_or_die(":memory:");
    ASSERT_TRUE(store_);
    t_ = build_tree(*store_);
    // County 城关区: 12 users (one at the county, 11 at its schools);
    // 七里河区: 3; 北京: 2.
    ASSERT_TRUE(store_->create_user(user_input("cg.officer", t_.county, {"county_officer"})));
    for (int i = 0; i < 11; ++i) {
      const int64_t school = i % 2 == 0 ? t_.school_a1 : t_.school_a2;
      ASSERT_TRUE(store_->create_user(
          user_input("cg.school" + std::to_string(i / 10) + std::to_string(i % 10), school, {"reviewer"})));
    }
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(store_->create_user(user_input("qlh.user" + std::to_string(i), t_.county2, {"finance"})));
    }
    ASSERT_TRUE(store_->create_user(user_input("bj_admin", t_.bj_county, {"sysadmin"})));
    ASSERT_TRUE(store_->create_user(user_input("bj%school", t_.school_bj, {"school_officer"})));
  }
  std::unique_ptr<SqliteStore> store_;
  Tree t_;
};

TEST_F(UserList, ScopeIsTheOrgSubtree) {
  auto page = store_->list_users(t_.county_path, {}, 0, 100);
  ASSERT_TRUE(page) << page.error().describe();
  EXPECT_EQ(page->total, 12);
  ASSERT_EQ(page->items.size(), 12u);
  for (const User& u : page->items) {
    EXPECT_EQ(u.org_path.rfind(t_.county_path, 0), 0u) << u.username << " " << u.org_path;
    EXPECT_FALSE(u.roles.empty());
  }
  // Another county sees none of them, and they none of its.
  auto other = store_->list_users(t_.county2_path, {}, 0, 100);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->total, 3);
  for (const User& u : other->items) EXPECT_EQ(u.username.rfind("qlh.", 0), 0u);
  auto province = store_->list_users("/62/", {}, 0, 100);
  ASSERT_TRUE(province);
  EXPECT_EQ(province->total, 15);
  auto all = store_->list_users("/", {}, 0, 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 17);
  EXPECT_EQ(*store_->count_users(), 17);
  // A school sees only its own.
  auto school = store_->list_users((*store_->get_org_node(t_.school_a2))->path, {}, 0, 100);
  ASSERT_TRUE(school);
  EXPECT_EQ(school->total, 5);
}

TEST_F(UserList, PagesInNameOrderWithTheTotal) {
  std::vector<std::string> names;
  for (int64_t offset = 0; offset < 20; offset += 5) {
    auto page = store_->list_users(t_.county_path, {}, offset, 5);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->total, 12);
    EXPECT_EQ(page->items.size(), static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(5, 12 - offset))));
    for (const User& u : page->items) names.push_back(u.username);
  }
  ASSERT_EQ(names.size(), 12u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 12u);
  EXPECT_EQ(names.front(), "cg.officer");

  auto bad = store_->list_users(t_.county_path, {}, -1, 5);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "BAD_VALUE");
  EXPECT_FALSE(store_->list_users(t_.county_path, {}, 0, kPageRowsMax + 1));
}

TEST_F(UserList, Filters) {
  UserFilter f;
  f.username_contains = "SCHOOL0";  // any case
  auto page = store_->list_users(t_.county_path, f, 0, 100);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 10);

  // LIKE's wildcards in the search text are literal.
  f.username_contains = "%";
  page = store_->list_users("/", f, 0, 100);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].username, "bj%school");
  f.username_contains = "_";
  page = store_->list_users("/", f, 0, 100);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].username, "bj_admin");

  UserFilter by_org;
  by_org.org_id = t_.county;
  page = store_->list_users(t_.county_path, by_org, 0, 100);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].username, "cg.officer");
  // An org outside the scope finds nothing even when asked for by id.
  by_org.org_id = t_.county2;
  page = store_->list_users(t_.county_path, by_org, 0, 100);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 0);

  UserFilter by_role;
  by_role.role = "finance";
  page = store_->list_users("/", by_role, 0, 100);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 3);
}

TEST(Users, Updates) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  const int64_t id = *store->create_user(user_input("li.si", t.school_a1, {"school_officer"}));

  ASSERT_TRUE(store->set_password(id, "$argon2id$new", false, 1'700'000'100'000));
  auto u = **store->get_user(id);
  EXPECT_EQ(u.password_hash, "$argon2id$new");
  EXPECT_FALSE(u.must_change_password);
  EXPECT_EQ(u.password_changed_at_ms, 1'700'000'100'000);

  ASSERT_TRUE(store->set_user_disabled(id, true));
  EXPECT_TRUE((*store->get_user(id))->disabled);
  ASSERT_TRUE(store->set_user_disabled(id, false));
  EXPECT_FALSE((*store->get_user(id))->disabled);

  ASSERT_TRUE(store->set_user_roles(id, {"reviewer", "school_officer"}));
  EXPECT_EQ((*store->get_user(id))->roles, (Strings{"school_officer", "reviewer"}));
  ASSERT_TRUE(store->set_user_roles(id, {"reviewer"}));
  EXPECT_EQ((*store->get_user(id))->roles, (Strings{"reviewer"}));
  auto bad_role = store->set_user_roles(id, {"reviewer", "root"});
  ASSERT_FALSE(bad_role);
  EXPECT_EQ(bad_role.error().code, "BAD_VALUE");
  EXPECT_EQ((*store->get_user(id))->roles, (Strings{"reviewer"}));  // unchanged

  EXPECT_EQ((*store->get_user(id))->failures_after_event_id, 0);
  LoginEvent e;
  e.at_ms = 1'700'000'000'000;
  e.username = "x";
  e.ip = "10.0.0.1";
  e.outcome = "unknown_user";
  ASSERT_TRUE(store->append_login_event(e));
  const int64_t newest = *store->append_login_event(e);
  ASSERT_TRUE(store->set_lockout(id, 1'700'000'900'000));
  EXPECT_EQ((*store->get_user(id))->locked_until_ms, 1'700'000'900'000);
  EXPECT_EQ((*store->get_user(id))->failures_after_event_id, newest);  // anyone's newest event
  const int64_t later = *store->append_login_event(e);
  ASSERT_TRUE(store->set_lockout(id, std::nullopt));
  EXPECT_FALSE((*store->get_user(id))->locked_until_ms);
  EXPECT_EQ((*store->get_user(id))->failures_after_event_id, later);

  // Every update names an unknown user.
  const int64_t ghost = id + 1000;
  for (const Result<void>& r :
       {store->set_password(ghost, "h", true, 1), store->set_user_disabled(ghost, true),
        store->set_user_roles(ghost, {"reviewer"}), store->set_totp(ghost, "sealed", false),
        store->clear_totp(ghost), store->set_totp_last_step(ghost, 1), store->set_lockout(ghost, 1)}) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "NOT_FOUND") << r.error().message;
  }
}

TEST(Users, TotpSecretStepAndClear) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  const int64_t id = *store->create_user(user_input("wang", t.county, {"finance"}));

  ASSERT_TRUE(store->set_totp(id, "sealed-1", false));  // enrolment begun
  auto u = **store->get_user(id);
  EXPECT_EQ(u.totp_secret, "sealed-1");
  EXPECT_FALSE(u.totp_enabled);
  ASSERT_TRUE(store->set_totp_last_step(id, 5000));
  ASSERT_TRUE(store->set_totp(id, "sealed-1", true));  // confirmed: same secret keeps the step
  u = **store->get_user(id);
  EXPECT_TRUE(u.totp_enabled);
  EXPECT_EQ(u.totp_last_step, 5000);
  ASSERT_TRUE(store->set_totp(id, "sealed-2", false));  // a new secret forgets it
  EXPECT_FALSE((*store->get_user(id))->totp_last_step);
  EXPECT_FALSE(store->set_totp(id, "", true));

  ASSERT_TRUE(store->set_totp(id, "sealed-2", true));
  ASSERT_TRUE(store->replace_recovery_codes(id, {"h1", "h2"}));
  ASSERT_TRUE(store->clear_totp(id));
  u = **store->get_user(id);
  EXPECT_FALSE(u.totp_secret);
  EXPECT_FALSE(u.totp_enabled);
  EXPECT_FALSE(u.totp_last_step);
  EXPECT_EQ(*store->count_unused_recovery_codes(id), 0);

  // The schema itself refuses TOTP on without a secret.
  EXPECT_FALSE(store->connection().exec("UPDATE app_user SET totp_enabled = 1 WHERE id = " + std::to_string(id)));
}

TEST(RecoveryCodes, ReplacedAndUsedOnce) {
  auto store = open_or_die(":memory:");
  ASSERT_TRUE(store);
  const Tree t = build_tree(*store);
  const int64_t id = *store->create_user(user_input("zhao", t.county, {"auditor"}));
  const int64_t other = *store->create_user(user_input("qian", t.county, {"finance"}));
  ASSERT_TRUE(store->replace_recovery_codes(id, {"a1", "a2", "a3"}));
  ASSERT_TRUE(store->replace_recovery_codes(other, {"a1"}));
  EXPECT_EQ(*store->count_unused_recovery_codes(id), 3);

  EXPECT_TRUE(*store->consume_recovery_code(id, "a2", 10));
  EXPECT_FALSE(*store->consume_recovery_code(id, "a2", 11));  // used up
  EXPECT_FALSE(*store->consume_recovery_code(id, "zz", 12));  // never issued
  EXPECT_EQ(*store->count_unused_recovery_codes(id), 2);
  EXPECT_EQ(*store->count_unused_recovery_codes(other), 1);  // another user's code is its own

  ASSERT_TRUE(store->replace_recovery_codes(id, {"b1", "b2"}));
  EXPECT_FALSE(*store->consume_recovery_code(id, "a1", 13));  // the old set is gone
  EXPECT_EQ(*store->count_unused_recovery_codes(id), 2);
  EXPECT_FALSE(store->replace_recovery_codes(id, {"c", "c"}));  // a repeated code is a mistake
  EXPECT_EQ(*store->count_unused_recovery_codes(id), 2);  // rolled back whole
}

}  // namespace
}  // namespace zizhu::store::sqlite
