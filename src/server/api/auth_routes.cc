// /api/v1/auth/*: login, logout, the current user, password change, TOTP.
#include "app/auth.h"
#include "server/api/json_io.h"
#include "server/api/route.h"
#include "server/api/views.h"

namespace zizhu::server::api {

namespace {

// The session cookie: HttpOnly so scripts cannot read it, SameSite=Strict so
// other sites cannot send it; no Max-Age, so it ends with the browser. The
// anti-CSRF token also goes into a readable cookie so that a reloaded page
// can send it back (double submit, checked against the session's hash).
void set_session_cookies(http::Response& r, const app::LoginResult& login) {
  r.headers.emplace_back("Set-Cookie", "zizhu_session=" + login.session_token + "; Path=/; HttpOnly; SameSite=Strict");
  r.headers.emplace_back("Set-Cookie", "zizhu_csrf=" + login.csrf_token + "; Path=/; SameSite=Strict");
}

void clear_session_cookies(http::Response& r) {
  r.headers.emplace_back("Set-Cookie", "zizhu_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  r.headers.emplace_back("Set-Cookie", "zizhu_csrf=; Path=/; Max-Age=0; SameSite=Strict");
}

http::Response login(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto username = required_string(*body, "username", 64);
  if (!username) return error_response(username.error());
  auto password = required_string(*body, "password", 1024);
  if (!password) return error_response(password.error());
  auto result = app::login(c.app, c.store, *username, *password, client_of(c.request));
  if (!result) {
    http::Response r = error_response(result.error());
    if (result.error().code == "RATE_LIMITED") r.headers.emplace_back("Retry-After", "60");
    return r;
  }
  auto o = session_json(result->actor);
  o["csrf_token"] = result->csrf_token;
  http::Response r = json_ok(o);
  set_session_cookies(r, *result);
  return r;
}

http::Response logout(Call& c) {
  if (auto ok = app::logout(c.app, c.store, c.actor); !ok) return error_response(ok.error());
  boost::json::object o;
  o["stage"] = "logged_out";
  http::Response r = json_ok(o);
  clear_session_cookies(r);
  return r;
}

http::Response me(Call& c) { return json_ok(session_json(c.actor)); }

http::Response change_password(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto old_password = required_string(*body, "old_password", 1024);
  if (!old_password) return error_response(old_password.error());
  auto new_password = required_string(*body, "new_password", 1024);
  if (!new_password) return error_response(new_password.error());
  auto next = app::change_password(c.app, c.store, c.actor, *old_password, *new_password);
  if (!next) return error_response(next.error());
  return json_ok(session_json(*next));
}

http::Response totp_enrol(Call& c) {
  auto e = app::begin_totp_enrolment(c.app, c.store, c.actor);
  if (!e) return error_response(e.error());
  boost::json::object o;
  o["secret"] = e->secret_base32;
  o["otpauth_uri"] = e->otpauth_uri;
  o["qr_svg"] = e->qr_svg;
  return json_ok(o);
}

http::Response totp_confirm(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto code = required_string(*body, "code", 16);
  if (!code) return error_response(code.error());
  auto codes = app::confirm_totp_enrolment(c.app, c.store, c.actor, *code);
  if (!codes) return error_response(codes.error());
  auto o = session_json(c.actor);
  boost::json::array list;
  for (const auto& x : *codes) list.emplace_back(x);
  o["recovery_codes"] = std::move(list);
  return json_ok(o);
}

http::Response totp_verify(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto code = optional_string(*body, "code", 16);
  if (!code) return error_response(code.error());
  auto recovery = optional_string(*body, "recovery_code", 64);
  if (!recovery) return error_response(recovery.error());
  if (!*code && !*recovery) return error_response("BAD_VALUE", "请输入动态口令或恢复码", "code");
  auto next = app::verify_second_factor(c.app, c.store, c.actor, code->value_or(""), recovery->value_or(""));
  if (!next) return error_response(next.error());
  return json_ok(session_json(*next));
}

}  // namespace

void add_auth_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"POST", "/api/v1/auth/login", "public", kJsonBodyBytesMax, "登录", login});
  add_route(router, app, {"POST", "/api/v1/auth/logout", "session", kJsonBodyBytesMax, "退出登录", logout});
  add_route(router, app, {"GET", "/api/v1/auth/me", "session", 0, "当前用户", me});
  add_route(router, app, {"POST", "/api/v1/auth/password", "session", kJsonBodyBytesMax, "修改密码", change_password});
  add_route(router, app, {"POST", "/api/v1/auth/totp/enrol", "session", kJsonBodyBytesMax, "绑定动态口令", totp_enrol});
  add_route(router, app,
            {"POST", "/api/v1/auth/totp/confirm", "session", kJsonBodyBytesMax, "确认绑定动态口令", totp_confirm});
  add_route(router, app, {"POST", "/api/v1/auth/totp/verify", "session", kJsonBodyBytesMax, "登录第二步", totp_verify});
}

}  // namespace zizhu::server::api
