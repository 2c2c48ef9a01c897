// Who is asking: the user (or API token) behind a request, with what every
// check needs — roles, the organisation node and its path (the data scope),
// and where the request came from (for the audit log).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/roles.h"
#include "store/records.h"

namespace zizhu::app {

// How far a login has come. A session can exist before it may do anything:
// the password must be changed first, or the second factor given.
enum class SessionStage : uint8_t {
  kFull,            // may use every route its roles allow
  kChangePassword,  // first login or after a reset: only change the password
  kSecondFactor,    // password right, TOTP (or a recovery code) still to give
  kEnrolTotp,       // a role that needs TOTP, none enrolled yet
};

std::string_view session_stage_key(SessionStage stage);  // "ok", "change_password", "totp", "totp_enrol"

struct Actor {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  RoleSet roles;
  int64_t org_id = 0;
  store::OrgKind org_kind = store::OrgKind::kCounty;
  std::string org_code;
  std::string org_name;
  std::string org_path;  // data scope: everything whose path starts with this
  std::optional<int64_t> guardian_id;  // a guardian user sees only their own children
  SessionStage stage = SessionStage::kFull;
  // Set when the request came with an API token instead of a session.
  std::optional<int64_t> api_token_id;
  std::string api_scopes;  // space-separated permission keys the token may use
  // Where the request came from.
  std::string ip;
  std::string user_agent;
  // The SM3 hex of the session token and of its anti-CSRF token; empty for
  // API tokens.
  std::string session_key;
  std::string csrf_hash;

  bool in_scope(std::string_view path) const { return path.substr(0, org_path.size()) == org_path; }
};

// The caller of an operation that has no user (the command line, the demo).
Actor system_actor(std::string_view what);

}  // namespace zizhu::app
