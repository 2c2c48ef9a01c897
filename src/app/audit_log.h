// Recording what users do: every state change and every view of unmasked
// personal data goes through record(), inside the same transaction as the
// change it describes, so that a change without its record cannot be
// committed (server.md, Audit log). The chain itself is oversight/audit_chain.
#pragma once

#include <string>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

struct AuditAction {
  std::string action;       // "user.create", "student.reveal", "auth.login", ...
  std::string object_type;  // "user", "student", "school", ...
  std::string object_id;
  std::string outcome = "ok";  // "ok", "denied", "failed"
  // JSON text: what changed or why; never a plain sensitive value.
  std::string summary = "{}";
};

Result<void> record(App& app, store::Store& store, const Actor& actor, const AuditAction& action);

// A JSON object text from key/value pairs (values as JSON strings).
std::string summary_json(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

}  // namespace zizhu::app
