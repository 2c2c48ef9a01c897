#include "server/api/views.h"

#include <boost/json/array.hpp>

namespace zizhu::server::api {

boost::json::object to_json(const app::StudentView& s, boost::json::storage_ptr storage) {
  // Built in one go (sized once) in the caller's storage: a list page makes
  // twenty of these per request.
  return boost::json::object(
      {
          {"id", s.id},
          {"student_no", s.student_no},
          {"name", s.name},
          {"id_number", s.id_number},
          {"gender", s.gender},
          {"birth_date", s.birth_date},
          {"school_code", s.school_code},
          {"school_name", s.school_name},
          {"grade", s.grade},
          {"class_name", s.class_name},
          {"boarding", s.boarding},
          {"guardian_name", s.guardian_name},
          {"bank_card", s.bank_card},
          {"masked", s.masked},
      },
      std::move(storage));
}

boost::json::object to_json(const app::UserView& u) {
  boost::json::object o;
  o["id"] = u.id;
  o["username"] = u.username;
  o["display_name"] = u.display_name;
  o["org_code"] = u.org_code;
  o["org_name"] = u.org_name;
  boost::json::array roles;
  for (const auto& r : u.roles) roles.emplace_back(r);
  o["roles"] = std::move(roles);
  o["disabled"] = u.disabled;
  o["locked"] = u.locked;
  o["totp_enabled"] = u.totp_enabled;
  o["must_change_password"] = u.must_change_password;
  return o;
}

boost::json::object to_json(const app::SchoolView& s) {
  boost::json::object o;
  o["code"] = s.code;
  o["name"] = s.name;
  o["stage"] = s.stage;
  o["county_code"] = s.county_code;
  o["county_name"] = s.county_name;
  return o;
}

boost::json::object to_json(const store::OrgNode& n) {
  boost::json::object o;
  o["id"] = n.id;
  if (n.parent_id) {
    o["parent_id"] = *n.parent_id;
  } else {
    o["parent_id"] = nullptr;
  }
  o["kind"] = store::org_kind_name(n.kind);
  o["code"] = n.code;
  o["name"] = n.name;
  return o;
}

boost::json::object to_json(const app::ApiTokenView& t) {
  boost::json::object o;
  o["id"] = t.id;
  o["name"] = t.name;
  o["org_code"] = t.org_code;
  boost::json::array scopes;
  for (const auto& s : t.scopes) scopes.emplace_back(s);
  o["scopes"] = std::move(scopes);
  o["created_at_ms"] = t.created_at_ms;
  o["expires_at_ms"] = t.expires_at_ms ? boost::json::value(*t.expires_at_ms) : boost::json::value(nullptr);
  o["revoked_at_ms"] = t.revoked_at_ms ? boost::json::value(*t.revoked_at_ms) : boost::json::value(nullptr);
  o["last_used_at_ms"] = t.last_used_at_ms ? boost::json::value(*t.last_used_at_ms) : boost::json::value(nullptr);
  return o;
}

boost::json::object session_json(const app::Actor& actor) {
  boost::json::object user;
  user["id"] = actor.user_id;
  user["username"] = actor.username;
  user["display_name"] = actor.display_name;
  user["org_code"] = actor.org_code;
  user["org_name"] = actor.org_name;
  user["org_kind"] = store::org_kind_name(actor.org_kind);
  boost::json::array roles;
  boost::json::array permissions;
  for (app::Role r : actor.roles.list()) roles.emplace_back(app::role_key(r));
  for (int i = 0; i < app::kPermissionCount; ++i) {
    const auto p = static_cast<app::Permission>(i);
    if (app::roles_grant(actor.roles, p)) permissions.emplace_back(app::permission_key(p));
  }
  user["roles"] = std::move(roles);
  user["permissions"] = std::move(permissions);
  boost::json::object o;
  o["stage"] = app::session_stage_key(actor.stage);
  o["user"] = std::move(user);
  return o;
}

boost::json::object to_json(const app::FundTransferView& t) {
  return boost::json::object({
      {"id", t.id},
      {"result", t.result},
      {"code", t.code},
      {"amount", t.amount},
      {"debit_account_id", t.debit_account_id},
      {"credit_account_id", t.credit_account_id},
      {"pending", t.pending},
  });
}

}  // namespace zizhu::server::api
