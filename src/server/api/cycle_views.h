// The JSON shapes of the aid cycle's views (api/openapi.json,
// components.schemas Cycle, Policy, Budget, ListImport, Application).
#pragma once

#include <boost/json/object.hpp>

#include "app/applications.h"
#include "app/cycles.h"
#include "app/dept_lists.h"

namespace zizhu::server::api {

boost::json::object to_json(const app::CycleView& c);
boost::json::object to_json(const app::PolicyView& p);
boost::json::object to_json(const app::BudgetView& b);
boost::json::object to_json(const app::DeptListImportView& d);
boost::json::object to_json(const app::ApplicationView& a);
boost::json::object to_json(const app::GuardianCycle& g);

}  // namespace zizhu::server::api
