// The JSON shapes of the app's views (api/openapi.json, components.schemas).
#pragma once

#include <boost/json/object.hpp>

#include "app/actor.h"
#include "app/funds_in.h"
#include "app/org.h"
#include "app/students.h"
#include "app/users.h"
#include "store/records.h"

namespace zizhu::server::api {

boost::json::object to_json(const app::StudentView& s, boost::json::storage_ptr storage = {});
boost::json::object to_json(const app::UserView& u);
boost::json::object to_json(const app::SchoolView& s);
boost::json::object to_json(const store::OrgNode& n);
boost::json::object to_json(const app::ApiTokenView& t);
// A ledger transfer as booked (FundTransfer).
boost::json::object to_json(const app::FundTransferView& t);
// The login answer: stage, the user as the session sees it.
boost::json::object session_json(const app::Actor& actor);

}  // namespace zizhu::server::api
