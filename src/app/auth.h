// Identity: login with lockout, the second factor (TOTP and recovery codes),
// password changes, sessions with idle and absolute expiry, logout, CSRF, and
// API tokens for other departments' systems (server.md, Security).
//
// A login makes a session at once, but its stage (actor.h) may hold it to the
// password change or the second factor: the server lets a session that is not
// at kFull reach only the auth routes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

// Where a request came from (for the login log and the audit log).
struct ClientInfo {
  std::string ip;
  std::string user_agent;
};

struct LoginResult {
  std::string session_token;  // goes into the HttpOnly cookie; never stored
  std::string csrf_token;     // the client echoes it in X-CSRF-Token
  Actor actor;
};

// Error codes: BAD_CREDENTIALS (401; the same for an unknown user and a wrong
// password), ACCOUNT_LOCKED (429), ACCOUNT_DISABLED (403), RATE_LIMITED (429).
Result<LoginResult> login(App& app, store::Store& store, std::string_view username, std::string_view password,
                          const ClientInfo& client);

// The actor of a session token. Codes: UNAUTHENTICATED (no such session, or
// ended), SESSION_EXPIRED (idle or absolute time passed; the session is ended).
Result<Actor> authenticate_session(App& app, store::Store& store, std::string_view session_token,
                                   const ClientInfo& client);

// Constant-time comparison of the request's X-CSRF-Token with the session's.
bool csrf_matches(const Actor& actor, std::string_view csrf_token);

// The actor of an API token ("Authorization: Bearer ..."). Codes as above.
Result<Actor> authenticate_api_token(App& app, store::Store& store, std::string_view token,
                                     const ClientInfo& client);

Result<void> logout(App& app, store::Store& store, const Actor& actor);

// Checks the old password and the rules, stores the new hash, ends the user's
// other sessions. Returns the actor with its new stage.
Result<Actor> change_password(App& app, store::Store& store, const Actor& actor, std::string_view old_password,
                              std::string_view new_password);

struct TotpEnrolment {
  std::string secret_base32;
  std::string otpauth_uri;
  std::string qr_svg;
};

// Starts (or restarts) enrolment: a new secret, kept sealed until confirmed.
// STATE_CONFLICT when TOTP is already enabled.
Result<TotpEnrolment> begin_totp_enrolment(App& app, store::Store& store, const Actor& actor);
// Confirms with a code from the app: enables TOTP, passes the second factor
// for this session, and returns fresh recovery codes (shown once).
Result<std::vector<std::string>> confirm_totp_enrolment(App& app, store::Store& store, Actor& actor,
                                                        std::string_view code);
// The second step of a login: a TOTP code (refused when its step was used
// already) or a recovery code (used up). Failures count towards the lockout.
Result<Actor> verify_second_factor(App& app, store::Store& store, const Actor& actor, std::string_view code,
                                   std::string_view recovery_code);

// The stage a user's session is at (used after every change above).
SessionStage stage_for(bool must_change_password, RoleSet roles, bool totp_enabled, bool second_factor_passed);

// SM3 hex of a token: what the database keeps instead of the token.
std::string token_hash(std::string_view token);

}  // namespace zizhu::app
