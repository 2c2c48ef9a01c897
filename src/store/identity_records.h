// The records of people and accountability: users and their roles, sessions,
// the login log, API tokens, and the audit log. Plain C++ values, no SQL; times
// are milliseconds since the Unix epoch (`*_ms`). Secrets never appear here:
// tokens and codes as their SM3 hex (`*_hash`), passwords as argon2id strings,
// the TOTP secret as the application sealed it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zizhu::store {

// --- users --------------------------------------------------------------------

// Role keys as stored ("sysadmin", "auditor", "county_officer", "finance",
// "school_officer", "reviewer", "guardian"); app/roles.h gives them meaning.
struct UserInput {
  std::string username;  // ASCII, lower case (the store refuses anything else)
  std::string display_name;
  int64_t org_id = 0;
  std::string password_hash;  // argon2id string
  bool must_change_password = true;
  std::optional<int64_t> guardian_id;  // a guardian account: sees only this household's children
  std::vector<std::string> roles;
  int64_t created_at_ms = 0;  // also the first password_changed_at_ms
};

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  int64_t org_id = 0;
  std::string org_path;  // the org node's path: the user's data scope
  std::vector<std::string> roles;  // in the order of aid-cycle.md's table
  std::string password_hash;
  bool must_change_password = true;
  bool disabled = false;
  std::optional<std::string> totp_secret;  // sealed by the application
  bool totp_enabled = false;
  std::optional<int64_t> totp_last_step;  // the last accepted TOTP step: a code is never accepted twice
  std::optional<int64_t> guardian_id;
  int64_t created_at_ms = 0;
  int64_t password_changed_at_ms = 0;
  // A lock in force until this time (set only when failures lock the
  // account; cleared by an unlock or a successful login).
  std::optional<int64_t> locked_until_ms;
  // Login failures count towards the lockout only when their login_event id
  // is above this mark (0: all of them, within the window). A success, an
  // unlock and a lock move it to the newest event. An event id, not a time,
  // so that a clock set back neither locks anyone nor stops the counting.
  int64_t failures_after_event_id = 0;
  bool operator==(const User&) const = default;
};

struct UserFilter {
  // Part of the user name (ASCII; matched without regard to case).
  std::optional<std::string> username_contains;
  // Only users of exactly this org node (still inside the scope path).
  std::optional<int64_t> org_id;
  // Only users holding this role key.
  std::optional<std::string> role;
};

// --- sessions -----------------------------------------------------------------

struct SessionRecord {
  std::string token_hash;  // SM3 hex of the cookie token; the key
  int64_t user_id = 0;
  std::string csrf_token_hash;  // SM3 hex of the anti-CSRF token
  int64_t created_at_ms = 0;
  int64_t last_seen_at_ms = 0;
  std::optional<int64_t> ended_at_ms;
  std::optional<std::string> ended_reason;  // "logout", "idle", "absolute", "password_changed", ...
  std::string ip;
  std::string user_agent;
  bool second_factor_passed = false;
  bool operator==(const SessionRecord&) const = default;
};

// --- the login log ------------------------------------------------------------

// Outcomes: "ok", "bad_password", "unknown_user", "locked", "bad_totp",
// "disabled". Failures (for the lockout) are bad_password and bad_totp.
struct LoginEvent {
  int64_t id = 0;  // set by the store
  int64_t at_ms = 0;
  std::string username;  // as typed; the store keeps at most 64 bytes
  std::optional<int64_t> user_id;  // empty for an unknown name
  std::string ip;
  std::string user_agent;  // the store keeps at most 512 bytes
  std::string outcome;
  bool operator==(const LoginEvent&) const = default;
};

struct LoginEventFilter {
  std::optional<std::string> username;  // as typed, or its lower case
  std::optional<int64_t> user_id;
  std::optional<std::string> outcome;
  std::optional<int64_t> from_ms;  // at_ms >= from_ms
  std::optional<int64_t> to_ms;    // at_ms < to_ms
};

// --- API tokens -----------------------------------------------------------------

struct ApiTokenInput {
  std::string name;
  std::string token_hash;  // SM3 hex of the secret handed out once
  int64_t org_id = 0;      // the data scope of the token
  std::string scopes;      // space-separated permission keys
  // The user who made it; empty when made by the system (a command, the demo).
  std::optional<int64_t> created_by;
  int64_t created_at_ms = 0;
  std::optional<int64_t> expires_at_ms;
};

struct ApiToken {
  int64_t id = 0;
  std::string name;
  std::string token_hash;
  int64_t org_id = 0;
  std::string scopes;
  std::optional<int64_t> created_by;
  int64_t created_at_ms = 0;
  std::optional<int64_t> expires_at_ms;
  std::optional<int64_t> revoked_at_ms;
  std::optional<int64_t> last_used_at_ms;
  bool operator==(const ApiToken&) const = default;
};

// --- the audit log ----------------------------------------------------------------

// One record of the audit chain as stored (docs/audit.md). The store keeps
// records as given; oversight/audit_chain computes seq, prev_mac and mac.
struct AuditRecord {
  int64_t seq = 0;
  int64_t at_ms = 0;
  std::optional<int64_t> user_id;
  std::string username;
  std::string roles;  // role keys, comma-separated
  std::optional<int64_t> org_id;
  std::string org_path;
  std::string ip;
  std::string user_agent;
  std::string action;  // "user.create", "student.reveal", ...
  std::string object_type;
  std::string object_id;
  std::string outcome;  // "ok", "denied", "failed"
  std::string summary;  // JSON text; never a plain sensitive value
  std::string key_id;   // the key the MAC was made with
  std::string prev_mac;  // hex; the previous record's mac
  std::string mac;       // hex
  bool operator==(const AuditRecord&) const = default;
};

// The chain's head: the last record's seq and mac, MACed itself, so that a
// log cut short at its end is seen.
struct AuditHead {
  int64_t seq = 0;
  std::string mac;  // the last record's mac (hex)
  std::string key_id;
  std::string head_mac;  // hex
  bool operator==(const AuditHead&) const = default;
};

// The auditor's query. Every part is optional; all given parts must match.
struct AuditFilter {
  std::optional<int64_t> from_ms;  // at_ms >= from_ms
  std::optional<int64_t> to_ms;    // at_ms < to_ms
  std::optional<int64_t> user_id;
  std::optional<std::string> username;
  std::optional<std::string> action;
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;
  std::optional<std::string> outcome;
};

}  // namespace zizhu::store
