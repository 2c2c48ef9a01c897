#include "server/api/route.h"

#include "app/audit_log.h"
#include "app/auth.h"
#include "server/api/json_io.h"

namespace zizhu::server::api {

namespace {

bool changes_state(std::string_view method) { return method != "GET" && method != "HEAD"; }

std::string_view bearer_token(const http::Request& request) {
  auto h = request.header("authorization");
  if (!h) return {};
  constexpr std::string_view kPrefix = "Bearer ";
  if (h->size() <= kPrefix.size() || h->substr(0, kPrefix.size()) != kPrefix) return {};
  return h->substr(kPrefix.size());
}

// The refusal for a session that has not finished logging in.
std::optional<http::Response> stage_refusal(const app::Actor& actor) {
  switch (actor.stage) {
    case app::SessionStage::kFull: return std::nullopt;
    case app::SessionStage::kChangePassword:
      return error_response("PASSWORD_CHANGE_REQUIRED", "首次登录或密码已重置，请先修改密码");
    case app::SessionStage::kSecondFactor:
      return error_response("SECOND_FACTOR_REQUIRED", "请先输入动态口令完成登录");
    case app::SessionStage::kEnrolTotp:
      return error_response("TOTP_ENROLMENT_REQUIRED", "此角色须绑定动态口令，请先完成绑定");
  }
  return std::nullopt;
}

bool scope_allows(std::string_view scopes, std::string_view permission) {
  size_t i = 0;
  while (i < scopes.size()) {
    const size_t j = std::min(scopes.find(' ', i), scopes.size());
    if (scopes.substr(i, j - i) == permission) return true;
    i = j + 1;
  }
  return false;
}

http::Response guarded(app::App& app, const RouteSpec& spec, const http::Request& request,
                       const http::RouteMatch& match) {
  auto lease = app.store();
  if (!lease) return error_response(lease.error());
  store::Store& store = **lease;
  const app::ClientInfo client = client_of(request);

  if (spec.permission == "public") {
    app::Actor anonymous;
    anonymous.username = "anonymous";
    anonymous.ip = client.ip;
    anonymous.user_agent = client.user_agent;
    Call call{request, match, app, store, anonymous};
    return spec.handler(call);
  }

  Result<app::Actor> actor = fail("UNAUTHENTICATED", "请先登录");
  if (auto token = bearer_token(request); !token.empty()) {
    actor = app::authenticate_api_token(app, store, token, client);
  } else if (auto cookie = request.cookie("zizhu_session")) {
    actor = app::authenticate_session(app, store, *cookie, client);
  }
  if (!actor) return error_response(actor.error());

  if (changes_state(request.method)) {
    const auto csrf = request.header("x-csrf-token");
    if (!app::csrf_matches(*actor, csrf.value_or(std::string_view()))) {
      return error_response("CSRF", "请求缺少有效的防伪令牌，请刷新页面后重试");
    }
  }
  if (spec.permission != "session") {
    if (auto refusal = stage_refusal(*actor)) return *refusal;
    const auto permission = app::parse_permission(spec.permission);
    const bool allowed = permission && (actor->api_token_id ? scope_allows(actor->api_scopes, spec.permission)
                                                            : app::roles_grant(actor->roles, *permission));
    if (!allowed) {
      if (changes_state(request.method)) {
        // A refused attempt to change something is itself worth recording.
        (void)app::record(app, store, *actor,
                          {std::string(spec.permission), "route", spec.pattern, "denied", "{}"});
      }
      return error_response("FORBIDDEN", "没有执行此操作的权限");
    }
  } else if (actor->api_token_id) {
    return error_response("FORBIDDEN", "接口令牌不能使用此功能");
  }
  Call call{request, match, app, store, *actor};
  return spec.handler(call);
}

}  // namespace

app::ClientInfo client_of(const http::Request& request) {
  app::ClientInfo c;
  c.ip = request.remote_ip;
  c.user_agent = std::string(request.header("user-agent").value_or(std::string_view()).substr(0, 512));
  return c;
}

void add_route(http::Router& router, app::App& app, RouteSpec spec) {
  auto shared = std::make_shared<RouteSpec>(std::move(spec));
  router.add({shared->method, shared->pattern, shared->permission, shared->body_limit_bytes, shared->summary,
              [&app, shared](const http::Request& request, const http::RouteMatch& match) {
                auto response = guarded(app, *shared, request, match);
                // The server's clock: the front end judges "today" and
                // "overdue" by it, not by the device's (docs/web.md).
                response.headers.emplace_back("X-Zizhu-Now-Ms", std::to_string(app.now_ms()));
                return response;
              }});
}

void add_api_routes(http::Router& router, app::App& app) {
  add_system_routes(router, app);
  add_auth_routes(router, app);
  add_org_routes(router, app);
  add_student_routes(router, app);
  add_user_routes(router, app);
  add_audit_routes(router, app);
  add_cycle_routes(router, app);
  add_application_routes(router, app);
  add_identification_routes(router, app);
  add_import_template_routes(router, app);
  add_review_routes(router, app);
  add_evidence_routes(router, app);
  add_notice_routes(router, app);
  add_school_list_routes(router, app);
  add_funds_routes(router, app);
  add_payment_routes(router, app);
  add_fund_report_routes(router, app);
  add_followup_routes(router, app);
  add_feedback_routes(router, app);
  add_dashboard_routes(router, app);
}

}  // namespace zizhu::server::api
