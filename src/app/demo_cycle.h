// The demo's school year in progress (issue 5): a cycle per county, opened
// with the default policy, dates around today and every school's budget; a
// department list imported (with two rows that are rejected, to show the
// report); applications from the guardian's portal and from school officers.
// Everything goes through the same app operations the API calls, with
// actors standing where the real users stand, so the audit log shows it.
#pragma once

#include "app/app.h"
#include "app/demo.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

struct DemoPlaces {
  store::OrgNode county, other_county;
  store::School own, second, far;
  int64_t guardian_id = 0;
  int64_t guardian_user_id = 0;
  int64_t county_officer_user_id = 0;
  int64_t school_officer_user_id = 0;
};

Result<void> add_demo_cycles(App& app, store::Store& store, const DemoPlaces& places, DemoObjects& objects);

}  // namespace zizhu::app
