// Users, roles and API tokens, managed by the sysadmin within their subtree.
// Every change is checked (separation of duties, organisation kind) and
// audited; a user outside the actor's subtree is NOT_FOUND.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/paging.h"
#include "store/store.h"

namespace zizhu::app {

struct UserView {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string org_code;
  std::string org_name;
  std::vector<std::string> roles;
  bool disabled = false;
  bool locked = false;
  bool totp_enabled = false;
  bool must_change_password = false;
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string org_code;
  std::vector<std::string> roles;
  std::optional<int64_t> guardian_id;  // for a guardian account
  // When set (the demo, `zizhu user add --password`), this password instead
  // of a generated one; it must pass the rules.
  std::optional<std::string> password;
  bool must_change_password = true;
};

struct CreatedUser {
  UserView user;
  std::string temporary_password;  // shown once
};

struct UserQuery {
  std::optional<std::string> username_contains;
  std::optional<std::string> org_code;
};

Result<Page<UserView>> list_users(App& app, store::Store& store, const Actor& actor, const UserQuery& query,
                                  const PageRequest& page);
Result<UserView> get_user(App& app, store::Store& store, const Actor& actor, int64_t user_id);
Result<CreatedUser> create_user(App& app, store::Store& store, const Actor& actor, const NewUser& input);
Result<UserView> set_user_roles(App& app, store::Store& store, const Actor& actor, int64_t user_id,
                                const std::vector<std::string>& roles);
Result<UserView> set_user_disabled(App& app, store::Store& store, const Actor& actor, int64_t user_id, bool disabled);
Result<CreatedUser> reset_password(App& app, store::Store& store, const Actor& actor, int64_t user_id);
Result<UserView> unlock_user(App& app, store::Store& store, const Actor& actor, int64_t user_id);

// A readable random password that passes the rules: 4 groups of 4.
std::string make_temporary_password();

struct ApiTokenView {
  int64_t id = 0;
  std::string name;
  std::string org_code;
  std::vector<std::string> scopes;
  int64_t created_at_ms = 0;
  std::optional<int64_t> expires_at_ms;
  std::optional<int64_t> revoked_at_ms;
  std::optional<int64_t> last_used_at_ms;
};

struct NewApiToken {
  std::string name;
  std::vector<std::string> scopes;  // permission keys; only read/import ones
  std::optional<int64_t> expires_in_days;
};

struct CreatedApiToken {
  ApiTokenView token;
  std::string secret;  // "zt_..." shown once
};

Result<std::vector<ApiTokenView>> list_api_tokens(App& app, store::Store& store, const Actor& actor);
Result<CreatedApiToken> create_api_token(App& app, store::Store& store, const Actor& actor, const NewApiToken& input);
Result<ApiTokenView> revoke_api_token(App& app, store::Store& store, const Actor& actor, int64_t token_id);

// Permissions an API token may carry (no user management, no reveal).
bool api_scope_allowed(std::string_view permission_key);

}  // namespace zizhu::app
