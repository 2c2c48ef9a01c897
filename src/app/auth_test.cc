// Login lockout and the cleanup of old sessions (auth.cc) on a real App over
// a temporary database, with the clock under the test's control — moved back
// as NTP or the test clock (`--test-clock`) may move it.
#include "app/auth.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "app/users.h"
#include "crypto/key_ring.h"

namespace zizhu::app {
namespace {

constexpr std::string_view kPassword = "Correct-Horse-42";
constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("zizhu_auth_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(crypto::KeyRing::generate_file((dir_ / "keys").string()));
    AppOptions options;
    options.db_path = (dir_ / "z.db").string();
    options.key_file = (dir_ / "keys").string();
    options.password_limits = crypto::PasswordLimits::minimal();
    options.login_rate_per_minute = 0;  // the per-address limit is not under test
    auto app = App::open(options);
    ASSERT_TRUE(app) << app.error().describe();
    app_ = std::move(*app);
    app_->set_clock([this] { return now_ms_; });
    auto lease = app_->store();
    ASSERT_TRUE(lease);
    store::Store& store = **lease;
    auto province = store.upsert_org_node({std::nullopt, store::OrgKind::kProvince, "620000", "甘肃省"});
    ASSERT_TRUE(province) << province.error().describe();
    store::UserInput in;
    in.username = "officer";
    in.display_name = "王老师";
    in.org_id = province->id;
    in.password_hash = *app_->hasher().hash(kPassword);
    in.must_change_password = false;
    in.roles = {"reviewer"};
    in.created_at_ms = now_ms_;
    auto id = store.create_user(in);
    ASSERT_TRUE(id) << id.error().describe();
    user_id_ = *id;
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<LoginResult> login_with(std::string_view password) {
    auto lease = app_->store();
    if (!lease) return tl::unexpected(lease.error());
    return login(*app_, **lease, "officer", password, {"192.0.2.1", "test"});
  }
  // The error code of a login, "" when it succeeded.
  std::string login_code(std::string_view password) {
    auto r = login_with(password);
    return r ? "" : r.error().code;
  }
  bool locked_in_user_list() {
    auto lease = app_->store();
    auto view = get_user(*app_, **lease, system_actor("test"), user_id_);
    EXPECT_TRUE(view) << view.error().describe();
    return view && view->locked;
  }
  std::optional<store::SessionRecord> session_row(const std::string& token) {
    auto lease = app_->store();
    auto found = (*lease)->find_session(token_hash(token));
    EXPECT_TRUE(found);
    return found ? *found : std::nullopt;
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
  int64_t now_ms_ = 1'790'000'000'000;  // October 2026
  int64_t user_id_ = 0;
};

// The regression: a login used to set locked_until to "now", so with the
// clock set back the user who had just logged in was locked out.
TEST_F(AuthTest, ClockSetBackAfterALoginDoesNotLock) {
  ASSERT_EQ(login_code(kPassword), "");
  now_ms_ -= 2 * kDayMs;
  EXPECT_FALSE(locked_in_user_list());
  EXPECT_EQ(login_code(kPassword), "");
  now_ms_ -= 1000;  // and once more, by less than a lock would last
  EXPECT_EQ(login_code(kPassword), "");
}

TEST_F(AuthTest, FiveFailuresLockUntilTheLockRunsOut) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login_code("wrong"), "BAD_CREDENTIALS") << i;
  EXPECT_FALSE(locked_in_user_list());
  EXPECT_EQ(login_code("wrong"), "ACCOUNT_LOCKED");
  EXPECT_TRUE(locked_in_user_list());
  EXPECT_EQ(login_code(kPassword), "ACCOUNT_LOCKED");  // the right password too
  now_ms_ += app_->security().lockout_ms - 1;
  EXPECT_EQ(login_code(kPassword), "ACCOUNT_LOCKED");
  now_ms_ += 1;
  EXPECT_FALSE(locked_in_user_list());
  EXPECT_EQ(login_code(kPassword), "");
  // The failures that locked it no longer count: four more do not lock.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login_code("wrong"), "BAD_CREDENTIALS") << i;
}

TEST_F(AuthTest, FailuresBeforeASuccessDoNotCount) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login_code("wrong"), "BAD_CREDENTIALS") << i;
  ASSERT_EQ(login_code(kPassword), "");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login_code("wrong"), "BAD_CREDENTIALS") << i;
  EXPECT_FALSE(locked_in_user_list());
  EXPECT_EQ(login_code("wrong"), "ACCOUNT_LOCKED");  // five since the success
}

// The count is not by time: after a success and a clock set back, the
// failures that follow still count (a time mark would be "in the future"
// and hide them until the clock caught up).
TEST_F(AuthTest, ClockSetBackDoesNotStopTheCount) {
  ASSERT_EQ(login_code(kPassword), "");
  now_ms_ -= 2 * kDayMs;
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login_code("wrong"), "BAD_CREDENTIALS") << i;
  EXPECT_EQ(login_code("wrong"), "ACCOUNT_LOCKED");
  EXPECT_TRUE(locked_in_user_list());
}

TEST_F(AuthTest, UnlockEndsTheLockAndRestartsTheCount) {
  for (int i = 0; i < 5; ++i) (void)login_code("wrong");
  ASSERT_TRUE(locked_in_user_list());
  {
    auto lease = app_->store();
    auto view = unlock_user(*app_, **lease, system_actor("test"), user_id_);
    ASSERT_TRUE(view) << view.error().describe();
    EXPECT_FALSE(view->locked);
    auto user = (*lease)->get_user(user_id_);
    EXPECT_FALSE((*user)->locked_until_ms);  // cleared, not set to "now"
  }
  now_ms_ -= kDayMs;  // an unlock leaves nothing a clock set back could revive
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login_code("wrong"), "BAD_CREDENTIALS") << i;
  EXPECT_EQ(login_code(kPassword), "");
}

// A session row goes once its absolute limit and a grace period (30 days)
// have passed — deleted by a later login — and never while it may still be
// in use; the cache then cannot answer for it either.
TEST_F(AuthTest, LoginsDeleteSessionsLongExpired) {
  const int64_t t0 = now_ms_;
  auto old = login_with(kPassword);
  ASSERT_TRUE(old) << old.error().describe();
  now_ms_ = t0 + 13 * 60 * kMinuteMs;
  auto newer = login_with(kPassword);
  ASSERT_TRUE(newer);
  const int64_t grace_ends = t0 + app_->security().session_absolute_ms + 30 * kDayMs;

  now_ms_ = grace_ends;  // expired, but only just within the grace period
  ASSERT_EQ(login_code(kPassword), "");
  EXPECT_TRUE(session_row(old->session_token));

  now_ms_ = grace_ends + 1;
  auto latest = login_with(kPassword);
  ASSERT_TRUE(latest) << latest.error().describe();
  EXPECT_FALSE(session_row(old->session_token));
  EXPECT_TRUE(session_row(newer->session_token));  // created later: its grace runs on
  EXPECT_TRUE(session_row(latest->session_token));

  // With the clock back where the old session's copy in memory is still
  // fresh, it must not be served from there.
  now_ms_ = t0 + 1000;
  auto lease = app_->store();
  auto who = authenticate_session(*app_, **lease, old->session_token, {"192.0.2.1", "test"});
  ASSERT_FALSE(who);
  EXPECT_EQ(who.error().code, "UNAUTHENTICATED");
}

}  // namespace
}  // namespace zizhu::app
