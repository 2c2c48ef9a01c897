#include "app/audit_log.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "oversight/audit_chain.h"

namespace zizhu::app {

namespace {

std::string roles_text(const Actor& actor) {
  std::string out;
  for (Role r : actor.roles.list()) {
    if (!out.empty()) out.push_back(',');
    out += role_key(r);
  }
  return out;
}

// One chain per process: appends take turns (the chain is a sequence).
oversight::AuditChain& chain() {
  static oversight::AuditChain instance;
  return instance;
}

}  // namespace

Result<void> record(App& app, store::Store& store, const Actor& actor, const AuditAction& action) {
  oversight::AuditEntry e;
  e.at_ms = app.now_ms();
  if (actor.user_id != 0) e.user_id = actor.user_id;
  e.username = actor.username;
  e.roles = roles_text(actor);
  if (actor.org_id != 0) e.org_id = actor.org_id;
  e.org_path = actor.org_path;
  e.ip = actor.ip;
  e.user_agent = actor.user_agent.substr(0, 256);
  e.action = action.action;
  e.object_type = action.object_type;
  e.object_id = action.object_id;
  e.outcome = action.outcome;
  e.summary = action.summary;
  const std::string& key_id = app.keys().active_id();
  auto key = app.keys().audit_key(key_id);
  if (!key) return tl::unexpected(key.error());
  auto appended = chain().append(store, e, key_id, *key);
  if (!appended) return tl::unexpected(appended.error());
  return {};
}

std::string summary_json(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  boost::json::object o;
  for (const auto& [k, v] : fields) o[k] = v;
  return boost::json::serialize(o);
}

}  // namespace zizhu::app
