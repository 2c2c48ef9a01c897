#include "app/auth.h"

#include <algorithm>
#include <cctype>

#include "app/audit_log.h"
#include "crypto/base32.h"
#include "crypto/qr_svg.h"
#include "crypto/random.h"
#include "crypto/recovery_codes.h"
#include "crypto/sm3.h"
#include "crypto/totp.h"

namespace zizhu::app {

namespace {

// Where the TOTP secret is sealed (crypto/sealed.h: the context binds a sealed
// value to its column).
constexpr std::string_view kTotpContext = "app_user.totp_secret";
constexpr size_t kUsernameBytesMax = 64;
constexpr std::string_view kBadCredentials = "用户名或密码错误";

std::string normalise_username(std::string_view typed) {
  std::string out;
  for (char c : typed.substr(0, kUsernameBytesMax)) {
    if (c == ' ' || c == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::span<const uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// The actor for a user record and its organisation node.
Result<Actor> load_actor(store::Store& store, const store::User& user, const ClientInfo& client) {
  auto node = store.get_org_node(user.org_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node) return fail("INTERNAL", "用户所属机构不存在");
  Actor a;
  a.user_id = user.id;
  a.username = user.username;
  a.display_name = user.display_name;
  for (const std::string& key : user.roles) {
    if (auto role = parse_role(key)) a.roles.add(*role);
  }
  a.org_id = user.org_id;
  a.org_kind = (*node)->kind;
  a.org_code = (*node)->code;
  a.org_name = (*node)->name;
  a.org_path = (*node)->path;
  a.guardian_id = user.guardian_id;
  a.ip = client.ip;
  a.user_agent = client.user_agent;
  return a;
}

Result<void> log_login(App& app, store::Store& store, std::string_view username, std::optional<int64_t> user_id,
                       const ClientInfo& client, std::string_view outcome) {
  store::LoginEvent e;
  e.at_ms = app.now_ms();
  e.username = std::string(username.substr(0, kUsernameBytesMax));
  e.user_id = user_id;
  e.ip = client.ip;
  e.user_agent = client.user_agent.substr(0, 512);
  e.outcome = std::string(outcome);
  auto done = store.append_login_event(e);
  if (!done) return tl::unexpected(done.error());
  return {};
}

// After a failure: lock the account when the failures in the window reach
// the limit. Returns true when it is now locked.
Result<bool> note_failure(App& app, store::Store& store, const store::User& user, const Actor& actor) {
  const auto& s = app.security();
  const int64_t now = app.now_ms();
  // Failures count within the window, but not from before the last lock,
  // unlock or successful login: each moves the user's mark to the newest
  // login event (store.h set_lockout). The mark is an event id, not a time,
  // so a clock set back does not hide the failures that follow it.
  auto failures = store.count_login_failures(user.id, now - s.lockout_window_ms, user.failures_after_event_id);
  if (!failures) return tl::unexpected(failures.error());
  if (*failures < s.lockout_failures) return false;
  // The failures that locked the account stop counting with the lock: after
  // it ends the user has the whole allowance again.
  if (auto ok = store.set_lockout(user.id, now + s.lockout_ms); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"user.lock", "user", std::to_string(user.id), "ok",
                        summary_json({{"reason", "连续登录失败"}, {"failures", std::to_string(*failures)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  return true;
}

tl::unexpected<Error> locked_error(int64_t until_ms, int64_t now_ms) {
  const int64_t minutes = std::max<int64_t>(1, (until_ms - now_ms + 59999) / 60000);
  return fail("ACCOUNT_LOCKED", "登录失败次数过多，账号已锁定，请 " + std::to_string(minutes) + " 分钟后再试");
}

// Session rows are kept this long after the session can last have been used
// (its absolute limit): an investigation of a login has the session's times,
// address and browser for a month. The login log keeps the logins for good.
constexpr int64_t kSessionRowsKeptMs = 30LL * 24 * 60 * 60 * 1000;
// Rows deleted per login at most: a login stays quick even when a backlog is
// being cleared (e.g. the first logins after an upgrade).
constexpr int64_t kSessionsDeletedPerLoginMax = 1000;

// Deletes session rows long dead (run on each successful login, inside its
// transaction: logins happen every working day, and there is no other
// periodic task). Every session has expired by created_at + the absolute
// limit, whatever its idle time or end, so creation time alone decides —
// along an index. Returns the deleted token hashes for the caller to drop
// from the session cache after the commit.
Result<std::vector<std::string>> delete_old_sessions(App& app, store::Store& store, int64_t now_ms) {
  const int64_t created_before = now_ms - app.security().session_absolute_ms - kSessionRowsKeptMs;
  return store.delete_sessions_created_before(created_before, kSessionsDeletedPerLoginMax);
}

Result<store::User> require_user(store::Store& store, int64_t user_id) {
  auto user = store.get_user(user_id);
  if (!user) return tl::unexpected(user.error());
  if (!*user) return fail("UNAUTHENTICATED", "请先登录");
  return std::move(**user);
}

}  // namespace

std::string token_hash(std::string_view token) { return crypto::to_hex(crypto::sm3(token)); }

SessionStage stage_for(bool must_change_password, RoleSet roles, bool totp_enabled, bool second_factor_passed) {
  if (must_change_password) return SessionStage::kChangePassword;
  if (needs_second_factor(roles) && !second_factor_passed) {
    return totp_enabled ? SessionStage::kSecondFactor : SessionStage::kEnrolTotp;
  }
  return SessionStage::kFull;
}

Result<LoginResult> login(App& app, store::Store& store, std::string_view typed_username, std::string_view password,
                          const ClientInfo& client) {
  const int64_t now = app.now_ms();
  int64_t retry_s = 0;
  if (!app.login_limiter().allow(client.ip, now, &retry_s)) {
    return fail("RATE_LIMITED", "登录尝试过于频繁，请 " + std::to_string(retry_s) + " 秒后再试");
  }
  const std::string username = normalise_username(typed_username);
  auto found = store.find_user_by_username(username);
  if (!found) return tl::unexpected(found.error());
  if (!*found) {
    // The same work as a real check, so that timing does not tell which
    // names exist.
    (void)app.hasher().verify(app.decoy_hash(), password);
    if (auto ok = log_login(app, store, typed_username, std::nullopt, client, "unknown_user"); !ok) {
      return tl::unexpected(ok.error());
    }
    return fail("BAD_CREDENTIALS", std::string(kBadCredentials));
  }
  const store::User& user = **found;
  auto actor = load_actor(store, user, client);
  if (!actor) return tl::unexpected(actor.error());
  if (user.locked_until_ms && *user.locked_until_ms > now) {
    if (auto ok = log_login(app, store, username, user.id, client, "locked"); !ok) return tl::unexpected(ok.error());
    return locked_error(*user.locked_until_ms, now);
  }
  if (!app.hasher().verify(user.password_hash, password)) {
    auto tx = store::Transaction::begin(store);
    if (!tx) return tl::unexpected(tx.error());
    if (auto ok = log_login(app, store, username, user.id, client, "bad_password"); !ok) {
      return tl::unexpected(ok.error());
    }
    auto locked = note_failure(app, store, user, *actor);
    if (!locked) return tl::unexpected(locked.error());
    if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
    if (*locked) return locked_error(now + app.security().lockout_ms, now);
    return fail("BAD_CREDENTIALS", std::string(kBadCredentials));
  }
  if (user.disabled) {
    if (auto ok = log_login(app, store, username, user.id, client, "disabled"); !ok) return tl::unexpected(ok.error());
    return fail("ACCOUNT_DISABLED", "账号已停用，请联系系统管理员");
  }

  LoginResult result;
  result.session_token = crypto::random_token(32);
  result.csrf_token = crypto::random_token(32);
  store::SessionRecord s;
  s.token_hash = token_hash(result.session_token);
  s.user_id = user.id;
  s.csrf_token_hash = token_hash(result.csrf_token);
  s.created_at_ms = now;
  s.last_seen_at_ms = now;
  s.ip = client.ip;
  s.user_agent = client.user_agent.substr(0, 512);
  s.second_factor_passed = false;
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = store.create_session(s); !ok) return tl::unexpected(ok.error());
  if (auto ok = log_login(app, store, username, user.id, client, "ok"); !ok) return tl::unexpected(ok.error());
  // Restarts the failure count after this login's event (see note_failure)
  // and drops a lock that has run out, so that a clock set back later cannot
  // bring it back.
  if (auto ok = store.set_lockout(user.id, std::nullopt); !ok) return tl::unexpected(ok.error());
  auto old_sessions = delete_old_sessions(app, store, now);
  if (!old_sessions) return tl::unexpected(old_sessions.error());
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  for (const std::string& hash : *old_sessions) app.sessions().erase(hash);

  actor->stage = stage_for(user.must_change_password, actor->roles, user.totp_enabled, false);
  actor->session_key = s.token_hash;
  actor->csrf_hash = s.csrf_token_hash;
  SessionEntry entry;
  entry.token_hash = s.token_hash;
  entry.csrf_hash = s.csrf_token_hash;
  entry.created_at_ms = now;
  entry.last_seen_at_ms = now;
  entry.last_written_ms = now;
  entry.loaded_at_ms = now;
  entry.actor = *actor;
  app.sessions().put(std::move(entry));
  result.actor = std::move(*actor);
  return result;
}

Result<Actor> authenticate_session(App& app, store::Store& store, std::string_view session_token,
                                   const ClientInfo& client) {
  if (session_token.empty() || session_token.size() > 128) return fail("UNAUTHENTICATED", "请先登录");
  const std::string key = token_hash(session_token);
  const int64_t now = app.now_ms();
  const auto& settings = app.security();
  auto cached = app.sessions().find(key);
  if (!cached || now - cached->loaded_at_ms > settings.session_cache_ms) {
    // Read again: the session may have been ended by another process, or the
    // user changed (disabled, new roles).
    auto s = store.find_session(key);
    if (!s) return tl::unexpected(s.error());
    if (!*s || (*s)->ended_at_ms) {
      app.sessions().erase(key);
      return fail("UNAUTHENTICATED", "请先登录");
    }
    auto user = store.get_user((*s)->user_id);
    if (!user) return tl::unexpected(user.error());
    if (!*user || (*user)->disabled) {
      app.sessions().erase(key);
      return fail("UNAUTHENTICATED", "请先登录");
    }
    auto actor = load_actor(store, **user, client);
    if (!actor) return tl::unexpected(actor.error());
    actor->stage = stage_for((*user)->must_change_password, actor->roles, (*user)->totp_enabled,
                             (*s)->second_factor_passed);
    actor->session_key = key;
    actor->csrf_hash = (*s)->csrf_token_hash;
    SessionEntry entry;
    entry.token_hash = key;
    entry.csrf_hash = (*s)->csrf_token_hash;
    entry.created_at_ms = (*s)->created_at_ms;
    entry.last_seen_at_ms = std::max((*s)->last_seen_at_ms, cached ? cached->last_seen_at_ms : 0);
    entry.last_written_ms = (*s)->last_seen_at_ms;
    entry.loaded_at_ms = now;
    entry.second_factor_passed = (*s)->second_factor_passed;
    entry.actor = std::move(*actor);
    cached = entry;
    app.sessions().put(std::move(entry));
  }
  const bool idle = now - cached->last_seen_at_ms > settings.session_idle_ms;
  const bool too_old = now - cached->created_at_ms > settings.session_absolute_ms;
  if (idle || too_old) {
    app.sessions().erase(key);
    if (auto ok = store.end_session(key, now, idle ? "idle" : "absolute"); !ok) return tl::unexpected(ok.error());
    return fail("SESSION_EXPIRED", idle ? "长时间未操作，请重新登录" : "登录已超过 12 小时，请重新登录");
  }
  if (app.sessions().touch(key, now, settings.session_touch_interval_ms)) {
    if (auto ok = store.touch_session(key, now); !ok) return tl::unexpected(ok.error());
    app.sessions().written(key, now);
  }
  Actor actor = cached->actor;
  actor.ip = client.ip;
  actor.user_agent = client.user_agent;
  return actor;
}

bool csrf_matches(const Actor& actor, std::string_view csrf_token) {
  if (actor.api_token_id) return true;  // bearer tokens are not sent by browsers on their own
  if (csrf_token.empty() || csrf_token.size() > 128 || actor.csrf_hash.empty()) return false;
  const std::string given = token_hash(csrf_token);
  return crypto::equal_constant_time(bytes(given), bytes(actor.csrf_hash));
}

Result<Actor> authenticate_api_token(App& app, store::Store& store, std::string_view token, const ClientInfo& client) {
  if (token.empty() || token.size() > 128) return fail("UNAUTHENTICATED", "接口令牌无效");
  auto found = store.find_api_token(token_hash(token));
  if (!found) return tl::unexpected(found.error());
  const int64_t now = app.now_ms();
  if (!*found || (*found)->revoked_at_ms || ((*found)->expires_at_ms && *(*found)->expires_at_ms <= now)) {
    return fail("UNAUTHENTICATED", "接口令牌无效、已过期或已吊销");
  }
  const store::ApiToken& t = **found;
  auto node = store.get_org_node(t.org_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node) return fail("UNAUTHENTICATED", "接口令牌无效");
  Actor a;
  a.username = "token:" + t.name;
  a.display_name = t.name;
  a.org_id = t.org_id;
  a.org_kind = (*node)->kind;
  a.org_code = (*node)->code;
  a.org_name = (*node)->name;
  a.org_path = (*node)->path;
  a.api_token_id = t.id;
  a.api_scopes = t.scopes;
  a.ip = client.ip;
  a.user_agent = client.user_agent;
  if (!t.last_used_at_ms || now - *t.last_used_at_ms > app.security().session_touch_interval_ms) {
    if (auto ok = store.touch_api_token(t.id, now); !ok) return tl::unexpected(ok.error());
  }
  return a;
}

Result<void> logout(App& app, store::Store& store, const Actor& actor) {
  app.sessions().erase(actor.session_key);
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = store.end_session(actor.session_key, app.now_ms(), "logout"); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {"auth.logout", "user", std::to_string(actor.user_id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  return tx->commit();
}

Result<Actor> change_password(App& app, store::Store& store, const Actor& actor, std::string_view old_password,
                              std::string_view new_password) {
  auto user = require_user(store, actor.user_id);
  if (!user) return tl::unexpected(user.error());
  if (!app.hasher().verify(user->password_hash, old_password)) {
    Error e = Error::make("BAD_CREDENTIALS", "原密码不正确");
    e.where.column = "old_password";
    return tl::unexpected(std::move(e));
  }
  if (auto ok = crypto::check_password_rules(new_password, user->username, app.common_passwords()); !ok) {
    Error e = ok.error();
    e.where.column = "new_password";
    return tl::unexpected(std::move(e));
  }
  if (app.hasher().verify(user->password_hash, new_password)) {
    Error e = Error::make("WEAK_PASSWORD", "新密码不能与原密码相同");
    e.where.column = "new_password";
    return tl::unexpected(std::move(e));
  }
  auto hash = app.hasher().hash(new_password);
  if (!hash) return tl::unexpected(hash.error());
  const int64_t now = app.now_ms();
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = store.set_password(user->id, *hash, false, now); !ok) return tl::unexpected(ok.error());
  // Every other session of the user ends: whoever knew the old password is
  // logged out.
  if (auto ok = store.end_user_sessions(user->id, now, "password_changed", actor.session_key); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record(app, store, actor, {"auth.password_change", "user", std::to_string(user->id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  app.sessions().erase_user(user->id);
  Actor next = actor;
  auto cached_session = store.find_session(actor.session_key);
  const bool passed = cached_session && *cached_session && (*cached_session)->second_factor_passed;
  next.stage = stage_for(false, actor.roles, user->totp_enabled, passed);
  return next;
}

Result<TotpEnrolment> begin_totp_enrolment(App& app, store::Store& store, const Actor& actor) {
  auto user = require_user(store, actor.user_id);
  if (!user) return tl::unexpected(user.error());
  if (user->totp_enabled) return fail("STATE_CONFLICT", "已绑定动态口令；如需更换请联系系统管理员重置");
  const std::string secret = crypto::make_totp_secret();
  const std::string sealed = app.sealer().seal(kTotpContext, secret);
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = store.set_totp(user->id, sealed, false); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {"auth.totp_enrol_begin", "user", std::to_string(user->id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  TotpEnrolment e;
  e.secret_base32 = crypto::base32_encode(bytes(secret));
  e.otpauth_uri = crypto::otpauth_uri("zizhu 资助", user->username, bytes(secret));
  auto svg = crypto::qr_svg(e.otpauth_uri);
  if (!svg) return tl::unexpected(svg.error());
  e.qr_svg = std::move(*svg);
  return e;
}

namespace {

Result<std::string> open_totp_secret(App& app, const store::User& user) {
  if (!user.totp_secret) return fail("STATE_CONFLICT", "尚未开始绑定动态口令");
  return app.sealer().open(kTotpContext, *user.totp_secret);
}

Result<void> pass_second_factor(App& app, store::Store& store, const Actor& actor) {
  if (auto ok = store.set_session_second_factor(actor.session_key); !ok) return tl::unexpected(ok.error());
  app.sessions().erase(actor.session_key);  // read again with the new flag
  return {};
}

std::string recovery_hash(int64_t user_id, std::string_view normalised_code) {
  // Recovery codes carry 80 random bits: a keyless hash is enough, and keeps
  // them valid across key rotations. The user id binds a code to its user.
  return token_hash(std::to_string(user_id) + ":" + std::string(normalised_code));
}

}  // namespace

Result<std::vector<std::string>> confirm_totp_enrolment(App& app, store::Store& store, Actor& actor,
                                                        std::string_view code) {
  auto user = require_user(store, actor.user_id);
  if (!user) return tl::unexpected(user.error());
  if (user->totp_enabled) return fail("STATE_CONFLICT", "已绑定动态口令");
  auto secret = open_totp_secret(app, *user);
  if (!secret) return tl::unexpected(secret.error());
  const auto step = crypto::verify_totp(bytes(*secret), code, app.now_ms() / 1000);
  if (!step) {
    Error e = Error::make("BAD_CODE", "动态口令不正确，请核对手机上的 6 位数字");
    e.where.column = "code";
    return tl::unexpected(std::move(e));
  }
  std::vector<std::string> codes = crypto::make_recovery_codes(static_cast<size_t>(app.security().recovery_code_count));
  std::vector<std::string> hashes;
  for (const std::string& c : codes) {
    hashes.push_back(recovery_hash(user->id, crypto::normalize_recovery_code(c).value_or(c)));
  }
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = store.set_totp(user->id, *user->totp_secret, true); !ok) return tl::unexpected(ok.error());
  if (auto ok = store.set_totp_last_step(user->id, *step); !ok) return tl::unexpected(ok.error());
  if (auto ok = store.replace_recovery_codes(user->id, hashes); !ok) return tl::unexpected(ok.error());
  if (auto ok = pass_second_factor(app, store, actor); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {"auth.totp_enrol", "user", std::to_string(user->id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  actor.stage = stage_for(user->must_change_password, actor.roles, true, true);
  return codes;
}

Result<Actor> verify_second_factor(App& app, store::Store& store, const Actor& actor, std::string_view code,
                                   std::string_view recovery_code) {
  auto user = require_user(store, actor.user_id);
  if (!user) return tl::unexpected(user.error());
  if (!user->totp_enabled) return fail("STATE_CONFLICT", "尚未绑定动态口令，请先绑定");
  const int64_t now = app.now_ms();
  if (user->locked_until_ms && *user->locked_until_ms > now) return locked_error(*user->locked_until_ms, now);
  bool ok_code = false;
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  std::string how = "totp";
  if (!recovery_code.empty()) {
    how = "recovery_code";
    const auto normal = crypto::normalize_recovery_code(recovery_code);
    if (normal) {
      auto used = store.consume_recovery_code(user->id, recovery_hash(user->id, *normal), now);
      if (!used) return tl::unexpected(used.error());
      ok_code = *used;
    }
  } else {
    auto secret = open_totp_secret(app, *user);
    if (!secret) return tl::unexpected(secret.error());
    const int64_t last = user->totp_last_step.value_or(std::numeric_limits<int64_t>::min());
    const auto step = crypto::verify_totp(bytes(*secret), code, now / 1000, last);
    if (step) {
      if (auto r = store.set_totp_last_step(user->id, *step); !r) return tl::unexpected(r.error());
      ok_code = true;
    }
  }
  if (!ok_code) {
    if (auto r = log_login(app, store, user->username, user->id, {actor.ip, actor.user_agent}, "bad_totp"); !r) {
      return tl::unexpected(r.error());
    }
    auto locked = note_failure(app, store, *user, actor);
    if (!locked) return tl::unexpected(locked.error());
    if (auto r = tx->commit(); !r) return tl::unexpected(r.error());
    if (*locked) return locked_error(now + app.security().lockout_ms, now);
    Error e = Error::make("BAD_CODE", how == "totp" ? "动态口令不正确或已使用过" : "恢复码不正确或已使用过");
    e.where.column = how == "totp" ? "code" : "recovery_code";
    return tl::unexpected(std::move(e));
  }
  if (auto r = pass_second_factor(app, store, actor); !r) return tl::unexpected(r.error());
  if (auto r = record(app, store, actor,
                      {"auth.second_factor", "user", std::to_string(user->id), "ok", summary_json({{"method", how}})});
      !r) {
    return tl::unexpected(r.error());
  }
  if (auto r = tx->commit(); !r) return tl::unexpected(r.error());
  Actor next = actor;
  next.stage = stage_for(user->must_change_password, actor.roles, true, true);
  return next;
}

}  // namespace zizhu::app
