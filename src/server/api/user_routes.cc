// /api/v1/users (and its .xlsx export), /api/v1/roles, /api/v1/api-tokens:
// the sysadmin's pages.
#include "app/list_exports.h"
#include "app/roles.h"
#include "app/users.h"
#include "server/api/json_io.h"
#include "server/api/route.h"
#include "server/api/views.h"

namespace zizhu::server::api {

namespace {

// The filters of the users list (the list and its export share them).
app::UserQuery user_query_of(const http::Request& request) {
  app::UserQuery q;
  q.username_contains = query_text(request, "username", 64);
  q.org_code = query_text(request, "org_code", 10);
  return q;
}

http::Response list(Call& c) {
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  auto found = app::list_users(c.app, c.store, c.actor, user_query_of(c.request), *page);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& u : found->items) items.emplace_back(to_json(u));
  return json_list(found->total, std::move(items));
}

// The same selection as GET /users as .xlsx, without password hashes or
// second-factor secrets (at most 50,000 rows; more is refused, not cut).
http::Response export_xlsx(Call& c) {
  auto file = app::export_users(c.app, c.store, c.actor, user_query_of(c.request));
  if (!file) return error_response(file.error());
  http::Response r;
  r.status = 200;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(file->bytes);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file->filename + "\"");
  r.headers.emplace_back("X-Rows", std::to_string(file->rows));
  return r;
}

http::Response detail(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto u = app::get_user(c.app, c.store, c.actor, *id);
  if (!u) return error_response(u.error());
  return json_ok(to_json(*u));
}

http::Response created_json(const app::CreatedUser& created) {
  auto o = to_json(created.user);
  o["temporary_password"] = created.temporary_password;
  return json_ok(o);
}

http::Response create(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  app::NewUser n;
  auto username = required_string(*body, "username", 64);
  if (!username) return error_response(username.error());
  auto name = required_string(*body, "display_name", 100);
  if (!name) return error_response(name.error());
  auto org = required_string(*body, "org_code", 10);
  if (!org) return error_response(org.error());
  auto roles = string_array(*body, "roles", app::kRoleCount);
  if (!roles) return error_response(roles.error());
  n.username = *username;
  n.display_name = *name;
  n.org_code = *org;
  n.roles = *roles;
  auto created = app::create_user(c.app, c.store, c.actor, n);
  if (!created) return error_response(created.error());
  return created_json(*created);
}

http::Response set_roles(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto roles = string_array(*body, "roles", app::kRoleCount);
  if (!roles) return error_response(roles.error());
  auto u = app::set_user_roles(c.app, c.store, c.actor, *id, *roles);
  if (!u) return error_response(u.error());
  return json_ok(to_json(*u));
}

Handler set_disabled(bool disabled) {
  return [disabled](Call& c) {
    auto id = id_param(c.match.param("id"));
    if (!id) return error_response(id.error());
    auto u = app::set_user_disabled(c.app, c.store, c.actor, *id, disabled);
    if (!u) return error_response(u.error());
    return json_ok(to_json(*u));
  };
}

http::Response reset(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto created = app::reset_password(c.app, c.store, c.actor, *id);
  if (!created) return error_response(created.error());
  return created_json(*created);
}

http::Response unlock(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto u = app::unlock_user(c.app, c.store, c.actor, *id);
  if (!u) return error_response(u.error());
  return json_ok(to_json(*u));
}

http::Response roles(Call&) {
  boost::json::array items;
  for (int i = 0; i < app::kRoleCount; ++i) {
    const auto role = static_cast<app::Role>(i);
    boost::json::object o;
    o["key"] = app::role_key(role);
    o["label"] = app::role_label(role);
    boost::json::array permissions;
    for (int j = 0; j < app::kPermissionCount; ++j) {
      const auto p = static_cast<app::Permission>(j);
      if (app::role_grants(role, p)) permissions.emplace_back(app::permission_key(p));
    }
    o["permissions"] = std::move(permissions);
    app::RoleSet set;
    set.add(role);
    o["second_factor"] = app::needs_second_factor(set);
    items.emplace_back(std::move(o));
  }
  // The count first: arguments are evaluated in no fixed order, and the
  // move may empty `items` before size() is read (GET /roles said total 0).
  const auto total = static_cast<int64_t>(items.size());
  return json_list(total, std::move(items));
}

http::Response tokens(Call& c) {
  auto found = app::list_api_tokens(c.app, c.store, c.actor);
  if (!found) return error_response(found.error());
  boost::json::array items;
  const int64_t now_ms = c.app.now_ms();
  for (const auto& t : *found) {
    auto o = to_json(t);
    // Judged on the server's clock: a browser's own may be wrong.
    o["expired"] = t.expires_at_ms.has_value() && *t.expires_at_ms <= now_ms;
    items.emplace_back(std::move(o));
  }
  // The count first: arguments are evaluated in no fixed order, and the
  // move may empty `items` before size() is read (GET /roles said total 0).
  const auto total = static_cast<int64_t>(items.size());
  return json_list(total, std::move(items));
}

http::Response create_token(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto name = required_string(*body, "name", 100);
  if (!name) return error_response(name.error());
  auto scopes = string_array(*body, "scopes", 10);
  if (!scopes) return error_response(scopes.error());
  auto days = optional_int(*body, "expires_in_days");
  if (!days) return error_response(days.error());
  auto created = app::create_api_token(c.app, c.store, c.actor, {*name, *scopes, *days});
  if (!created) return error_response(created.error());
  auto o = to_json(created->token);
  o["token"] = created->secret;
  return json_ok(o);
}

http::Response revoke_token(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto t = app::revoke_api_token(c.app, c.store, c.actor, *id);
  if (!t) return error_response(t.error());
  return json_ok(to_json(*t));
}

}  // namespace

void add_user_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/users", "user.read", 0, "用户列表", list});
  add_route(router, app, {"POST", "/api/v1/users", "user.write", kJsonBodyBytesMax, "新增用户", create});
  add_route(router, app,
            {"GET", "/api/v1/users/export", "user.read", 0, "导出用户列表（XLSX）", export_xlsx});
  add_route(router, app, {"GET", "/api/v1/users/{id}", "user.read", 0, "用户详情", detail});
  add_route(router, app, {"PUT", "/api/v1/users/{id}/roles", "user.write", kJsonBodyBytesMax, "设置角色", set_roles});
  add_route(router, app,
            {"POST", "/api/v1/users/{id}/disable", "user.write", kJsonBodyBytesMax, "停用用户", set_disabled(true)});
  add_route(router, app,
            {"POST", "/api/v1/users/{id}/enable", "user.write", kJsonBodyBytesMax, "启用用户", set_disabled(false)});
  add_route(router, app,
            {"POST", "/api/v1/users/{id}/reset-password", "user.write", kJsonBodyBytesMax, "重置密码", reset});
  add_route(router, app, {"POST", "/api/v1/users/{id}/unlock", "user.write", kJsonBodyBytesMax, "解除锁定", unlock});
  add_route(router, app, {"GET", "/api/v1/roles", "user.read", 0, "角色与权限", roles});
  add_route(router, app, {"GET", "/api/v1/api-tokens", "api_token.manage", 0, "接口令牌列表", tokens});
  add_route(router, app,
            {"POST", "/api/v1/api-tokens", "api_token.manage", kJsonBodyBytesMax, "新建接口令牌", create_token});
  add_route(router, app, {"POST", "/api/v1/api-tokens/{id}/revoke", "api_token.manage", kJsonBodyBytesMax,
                          "吊销接口令牌", revoke_token});
}

}  // namespace zizhu::server::api
