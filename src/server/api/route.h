// The one place every API request is authenticated and authorised before its
// handler runs (server.md: authorisation on every request, server side). A
// route declares the permission it needs: "public" (no login), "session" (any
// logged-in session, even one that must still change its password or give
// its second factor), or a permission key of app/roles.h. Data scope and
// object state are then checked by the app operation the handler calls.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/actor.h"
#include "app/app.h"
#include "app/auth.h"
#include "server/http/message.h"
#include "server/http/router.h"
#include "store/store.h"

namespace zizhu::server::api {

inline constexpr uint64_t kJsonBodyBytesMax = 64 * 1024;
inline constexpr uint64_t kRosterBodyBytesMax = 64ull * 1024 * 1024;

struct Call {
  const http::Request& request;
  const http::RouteMatch& match;
  app::App& app;
  store::Store& store;
  app::Actor& actor;
};

using Handler = std::function<http::Response(Call&)>;

struct RouteSpec {
  std::string method;
  std::string pattern;
  std::string permission;
  uint64_t body_limit_bytes = kJsonBodyBytesMax;
  std::string summary;
  Handler handler;
};

// Adds the route with the guard around its handler.
void add_route(http::Router& router, app::App& app, RouteSpec spec);

// The routes of each area (auth_routes.cc, org_routes.cc, ...).
void add_system_routes(http::Router& router, app::App& app);
void add_auth_routes(http::Router& router, app::App& app);
void add_org_routes(http::Router& router, app::App& app);
void add_student_routes(http::Router& router, app::App& app);
void add_user_routes(http::Router& router, app::App& app);
void add_audit_routes(http::Router& router, app::App& app);
void add_cycle_routes(http::Router& router, app::App& app);
void add_application_routes(http::Router& router, app::App& app);
void add_identification_routes(http::Router& router, app::App& app);
void add_import_template_routes(http::Router& router, app::App& app);
void add_review_routes(http::Router& router, app::App& app);
void add_evidence_routes(http::Router& router, app::App& app);
void add_notice_routes(http::Router& router, app::App& app);
void add_school_list_routes(http::Router& router, app::App& app);
void add_funds_routes(http::Router& router, app::App& app);
void add_payment_routes(http::Router& router, app::App& app);
void add_fund_report_routes(http::Router& router, app::App& app);
void add_followup_routes(http::Router& router, app::App& app);
void add_feedback_routes(http::Router& router, app::App& app);
void add_dashboard_routes(http::Router& router, app::App& app);

// All of them.
void add_api_routes(http::Router& router, app::App& app);

// The client's address and user agent, for the logs.
app::ClientInfo client_of(const http::Request& request);

}  // namespace zizhu::server::api
