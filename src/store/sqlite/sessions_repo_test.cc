#include <gtest/gtest.h>

#include <algorithm>

#include "store/sqlite/repo_test_util.h"

namespace zizhu::store::sqlite {
namespace {

using testing::build_tree;
using testing::open_or_die;
using testing::Tree;
using testing::user_input;

SessionRecord session(std::string token_hash, int64_t user_id, int64_t at_ms) {
  SessionRecord s;
  s.token_hash = std::move(token_hash);
  s.user_id = user_id;
  s.csrf_token_hash = "csrf-" + s.token_hash;
  s.created_at_ms = at_ms;
  s.last_seen_at_ms = at_ms;
  s.ip = "10.0.0.7";
  s.user_agent = "Mozilla/5.0";
  return s;
}

class Sessions : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_or_die(":memory:");
    ASSERT_TRUE(store_);
    t_ = build_tree(*store_);
    user_ = *store_->create_user(user_input("user1", t_.county, {"county_officer"}));
    other_ = *store_->create_user(user_input("user2", t_.county, {"finance"}));
  }
  std::unique_ptr<SqliteStore> store_;
  Tree t_;
  int64_t user_ = 0, other_ = 0;
};

TEST_F(Sessions, CreateAndFind) {
  const SessionRecord s = session("aa11", user_, 1000);
  ASSERT_TRUE(store_->create_session(s));
  auto found = store_->find_session("aa11");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(**found, s);
  EXPECT_FALSE(*store_->find_session("bb22"));
  EXPECT_FALSE(store_->create_session(s));  // the token hash is the key
  EXPECT_FALSE(store_->create_session(session("cc33", 999, 1000)));  // no such user
  SessionRecord no_csrf = session("dd44", user_, 1000);
  no_csrf.csrf_token_hash.clear();
  EXPECT_FALSE(store_->create_session(no_csrf));
}

TEST_F(Sessions, TouchOnlyMovesForwardAndOnlyWhileOpen) {
  ASSERT_TRUE(store_->create_session(session("aa11", user_, 1000)));
  ASSERT_TRUE(store_->touch_session("aa11", 61'000));
  EXPECT_EQ((*store_->find_session("aa11"))->last_seen_at_ms, 61'000);
  ASSERT_TRUE(store_->touch_session("aa11", 30'000));  // a late write of an older request
  EXPECT_EQ((*store_->find_session("aa11"))->last_seen_at_ms, 61'000);
  ASSERT_TRUE(store_->end_session("aa11", 70'000, "logout"));
  ASSERT_TRUE(store_->touch_session("aa11", 90'000));
  EXPECT_EQ((*store_->find_session("aa11"))->last_seen_at_ms, 61'000);
}

TEST_F(Sessions, SecondFactor) {
  ASSERT_TRUE(store_->create_session(session("aa11", user_, 1000)));
  EXPECT_FALSE((*store_->find_session("aa11"))->second_factor_passed);
  ASSERT_TRUE(store_->set_session_second_factor("aa11"));
  EXPECT_TRUE((*store_->find_session("aa11"))->second_factor_passed);
  auto missing = store_->set_session_second_factor("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "NOT_FOUND");
  ASSERT_TRUE(*store_->end_session("aa11", 2000, "logout"));
  EXPECT_FALSE(store_->set_session_second_factor("aa11"));  // not on an ended session
}

TEST_F(Sessions, EndKeepsTheFirstEnd) {
  ASSERT_TRUE(store_->create_session(session("aa11", user_, 1000)));
  EXPECT_TRUE(*store_->end_session("aa11", 2000, "idle"));
  EXPECT_FALSE(*store_->end_session("aa11", 3000, "logout"));
  auto s = **store_->find_session("aa11");
  EXPECT_EQ(s.ended_at_ms, 2000);
  EXPECT_EQ(s.ended_reason, "idle");
  EXPECT_FALSE(*store_->end_session("never", 3000, "logout"));
}

TEST_F(Sessions, EndAllOfAUserButOne) {
  for (const char* h : {"s1", "s2", "s3"}) ASSERT_TRUE(store_->create_session(session(h, user_, 1000)));
  ASSERT_TRUE(store_->create_session(session("o1", other_, 1000)));
  ASSERT_TRUE(*store_->end_session("s3", 1500, "logout"));

  auto ended = store_->end_user_sessions(user_, 2000, "password_changed", "s1");
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 1);  // s2; s1 kept, s3 ended already
  EXPECT_FALSE((*store_->find_session("s1"))->ended_at_ms);
  EXPECT_EQ((*store_->find_session("s2"))->ended_reason, "password_changed");
  EXPECT_EQ((*store_->find_session("s3"))->ended_reason, "logout");
  EXPECT_FALSE((*store_->find_session("o1"))->ended_at_ms);  // another user's session

  EXPECT_EQ(*store_->end_user_sessions(user_, 3000, "disabled", ""), 1);  // s1
  EXPECT_EQ((*store_->find_session("s1"))->ended_reason, "disabled");
}

// --- the login log ------------------------------------------------------------------

LoginEvent event(int64_t at_ms, std::string username, std::optional<int64_t> user_id, std::string outcome) {
  LoginEvent e;
  e.at_ms = at_ms;
  e.username = std::move(username);
  e.user_id = user_id;
  e.ip = "10.0.0.9";
  e.user_agent = "curl/8";
  e.outcome = std::move(outcome);
  return e;
}

TEST_F(Sessions, LoginFailuresCountFromSince) {
  ASSERT_TRUE(store_->append_login_event(event(1000, "user1", user_, "bad_password")));
  ASSERT_TRUE(store_->append_login_event(event(2000, "user1", user_, "bad_totp")));
  ASSERT_TRUE(store_->append_login_event(event(3000, "user1", user_, "ok")));
  ASSERT_TRUE(store_->append_login_event(event(4000, "user1", user_, "locked")));
  ASSERT_TRUE(store_->append_login_event(event(5000, "user1", user_, "disabled")));
  ASSERT_TRUE(store_->append_login_event(event(6000, "user1", user_, "bad_password")));
  ASSERT_TRUE(store_->append_login_event(event(6000, "user2", other_, "bad_password")));
  ASSERT_TRUE(store_->append_login_event(event(6000, "ghost", std::nullopt, "unknown_user")));

  EXPECT_EQ(*store_->count_login_failures(user_, 0, 0), 3);
  EXPECT_EQ(*store_->count_login_failures(user_, 2000, 0), 2);  // at or after
  EXPECT_EQ(*store_->count_login_failures(user_, 2001, 0), 1);
  EXPECT_EQ(*store_->count_login_failures(user_, 6001, 0), 0);
  EXPECT_EQ(*store_->count_login_failures(other_, 0, 0), 1);
}

TEST_F(Sessions, LoginFailuresCountAfterTheMarkWhateverTheirTime) {
  const int64_t first = *store_->append_login_event(event(9000, "user1", user_, "bad_password"));
  const int64_t second = *store_->append_login_event(event(9000, "user1", user_, "bad_password"));
  // Logged after the clock was set back: an earlier time, a higher id.
  const int64_t third = *store_->append_login_event(event(5000, "user1", user_, "bad_totp"));
  EXPECT_EQ(*store_->count_login_failures(user_, 0, 0), 3);
  EXPECT_EQ(*store_->count_login_failures(user_, 0, first), 2);
  EXPECT_EQ(*store_->count_login_failures(user_, 0, second), 1);
  EXPECT_EQ(*store_->count_login_failures(user_, 0, third), 0);
  EXPECT_EQ(*store_->count_login_failures(user_, 6000, first), 1);  // the window still applies
}

// --- cleanup of old sessions ----------------------------------------------------------

TEST_F(Sessions, OldSessionsDeletedByCreationTimeOldestFirstAndBounded) {
  ASSERT_TRUE(store_->create_session(session("old2", user_, 2000)));
  ASSERT_TRUE(store_->create_session(session("old1", user_, 1000)));
  ASSERT_TRUE(store_->create_session(session("old3", other_, 3000)));
  ASSERT_TRUE(*store_->end_session("old3", 3500, "logout"));  // ended or not: both go
  ASSERT_TRUE(store_->create_session(session("live", user_, 5000)));
  ASSERT_TRUE(store_->touch_session("old2", 4900));  // creation decides, not the last request

  auto some = store_->delete_sessions_created_before(5000, 2);
  ASSERT_TRUE(some) << some.error().describe();
  std::sort(some->begin(), some->end());  // RETURNING has no order
  EXPECT_EQ(*some, (std::vector<std::string>{"old1", "old2"}));  // the two oldest
  EXPECT_FALSE(*store_->find_session("old1"));
  EXPECT_FALSE(*store_->find_session("old2"));
  EXPECT_TRUE(*store_->find_session("old3"));

  auto rest = store_->delete_sessions_created_before(5000, 1000);
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, (std::vector<std::string>{"old3"}));
  EXPECT_TRUE(*store_->find_session("live"));  // created at the cut: kept
  EXPECT_TRUE(store_->delete_sessions_created_before(5000, 1000)->empty());

  for (int64_t bad : {0, -1, 10001}) {
    auto r = store_->delete_sessions_created_before(9000, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, "BAD_VALUE");
  }
  EXPECT_TRUE(*store_->find_session("live"));
}

TEST_F(Sessions, LoginEventsAreBoundedAndChecked) {
  // 30 Chinese characters (90 bytes) as a user name: kept to whole
  // characters within 64 bytes.
  std::string long_name;
  for (int i = 0; i < 30; ++i) long_name += "张";
  LoginEvent e = event(1000, long_name, std::nullopt, "unknown_user");
  e.user_agent = std::string(2000, 'u');
  auto id = store_->append_login_event(e);
  ASSERT_TRUE(id) << id.error().describe();
  auto page = store_->login_events_page("/", {}, 0, 10);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, *id);
  EXPECT_EQ(page->items[0].username, long_name.substr(0, 63));  // 21 characters
  EXPECT_EQ(page->items[0].user_agent.size(), 512u);

  auto bad = store_->append_login_event(event(1000, "x", std::nullopt, "hacked"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("CHECK"), std::string::npos) << bad.error().message;
}

TEST_F(Sessions, LoginLogScopeFiltersAndPaging) {
  const int64_t bj = *store_->create_user(user_input("bj.user", t_.bj_county, {"sysadmin"}));
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(store_->append_login_event(event(1000 + i, "user1", user_, i % 2 ? "ok" : "bad_password")));
  }
  ASSERT_TRUE(store_->append_login_event(event(2000, "bj.user", bj, "ok")));
  ASSERT_TRUE(store_->append_login_event(event(2001, "User1", std::nullopt, "unknown_user")));

  auto all = store_->login_events_page("/", {}, 0, 100);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->total, 9);
  EXPECT_EQ(all->items.front().at_ms, 2001);  // newest first
  auto county = store_->login_events_page(t_.county_path, {}, 0, 100);
  ASSERT_TRUE(county);
  EXPECT_EQ(county->total, 7);  // neither Beijing's user nor the unknown name
  for (const auto& e : county->items) EXPECT_EQ(e.user_id, user_);
  auto beijing = store_->login_events_page(t_.bj_path, {}, 0, 100);
  ASSERT_TRUE(beijing);
  EXPECT_EQ(beijing->total, 1);

  auto paged = store_->login_events_page(t_.county_path, {}, 5, 5);
  ASSERT_TRUE(paged);
  EXPECT_EQ(paged->total, 7);
  ASSERT_EQ(paged->items.size(), 2u);
  EXPECT_EQ(paged->items.back().at_ms, 1000);

  LoginEventFilter f;
  f.username = "User1";  // as typed, or its lower case
  auto named = store_->login_events_page("/", f, 0, 100);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->total, 8);
  f.outcome = "bad_password";
  f.from_ms = 1002;
  f.to_ms = 1006;
  named = store_->login_events_page("/", f, 0, 100);
  ASSERT_TRUE(named);
  EXPECT_EQ(named->total, 2);  // 1002, 1004
}

// --- API tokens ----------------------------------------------------------------------

ApiTokenInput token(std::string name, std::string hash, int64_t org_id, std::optional<int64_t> by) {
  ApiTokenInput t;
  t.name = std::move(name);
  t.token_hash = std::move(hash);
  t.org_id = org_id;
  t.scopes = "student.read school.read";
  t.created_by = by;
  t.created_at_ms = 1000;
  return t;
}

TEST_F(Sessions, ApiTokens) {
  ApiTokenInput in = token("民政局对接", "h1", t_.county, user_);
  in.expires_at_ms = 9000;
  auto id = store_->create_api_token(in);
  ASSERT_TRUE(id) << id.error().describe();
  auto system_made = store_->create_api_token(token("七里河对接", "h2", t_.county2, std::nullopt));
  ASSERT_TRUE(system_made) << system_made.error().describe();
  ASSERT_TRUE(store_->create_api_token(token("北京", "h3", t_.bj_county, std::nullopt)));
  EXPECT_FALSE(store_->create_api_token(token("dup", "h1", t_.county, std::nullopt)));  // hash is unique
  EXPECT_FALSE(store_->create_api_token(token("bad", "h4", t_.county, 4242)));  // no such creator

  auto found = store_->find_api_token("h1");
  ASSERT_TRUE(found && *found);
  const ApiToken& t = **found;
  EXPECT_EQ(t.id, *id);
  EXPECT_EQ(t.name, "民政局对接");
  EXPECT_EQ(t.org_id, t_.county);
  EXPECT_EQ(t.scopes, "student.read school.read");
  EXPECT_EQ(t.created_by, user_);
  EXPECT_EQ(t.expires_at_ms, 9000);
  EXPECT_FALSE(t.revoked_at_ms);
  EXPECT_FALSE(t.last_used_at_ms);
  EXPECT_EQ(**store_->get_api_token(*id), t);
  EXPECT_FALSE((*store_->get_api_token(*system_made))->created_by);
  EXPECT_FALSE(*store_->find_api_token("nope"));

  auto gansu = store_->list_api_tokens("/62/");
  ASSERT_TRUE(gansu);
  ASSERT_EQ(gansu->size(), 2u);
  EXPECT_EQ((*gansu)[0].id, *id);
  auto county = store_->list_api_tokens(t_.county_path);
  ASSERT_TRUE(county);
  ASSERT_EQ(county->size(), 1u);
  EXPECT_EQ(store_->list_api_tokens("/")->size(), 3u);

  ASSERT_TRUE(store_->touch_api_token(*id, 5000));
  ASSERT_TRUE(store_->touch_api_token(*id, 4000));  // never backwards
  EXPECT_EQ((*store_->get_api_token(*id))->last_used_at_ms, 5000);
  EXPECT_TRUE(*store_->revoke_api_token(*id, 6000));
  EXPECT_FALSE(*store_->revoke_api_token(*id, 7000));
  EXPECT_EQ((*store_->get_api_token(*id))->revoked_at_ms, 6000);
  EXPECT_FALSE(*store_->revoke_api_token(4242, 7000));
}

}  // namespace
}  // namespace zizhu::store::sqlite
