// The demo's school year in progress (issue 5): a cycle per county, opened
// with the default policy, dates around today and every school's budget; a
// department list imported (with two rows that are rejected, to show the
// report); applications from the guardian's portal and from school officers.
// Everything goes through the same app operations the API calls, with
// actors standing where the real users stand, so the audit log shows it.
#pragma once

#include "app/actor.h"
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

// An actor standing at `node` as the user `user_id` (0: the demo itself).
Actor actor_at(const store::OrgNode& node, int64_t user_id, std::string_view who);
Result<store::OrgNode> node_of(store::Store& store, int64_t id);
// An open cycle for the county's school year of today (the app's clock):
// default policy, dates from two weeks ago to two weeks ahead, every school's
// budget from its size.
Result<int64_t> open_demo_cycle(App& app, store::Store& store, const Actor& county);

Result<void> add_demo_cycles(App& app, store::Store& store, const DemoPlaces& places, DemoObjects& objects);

}  // namespace zizhu::app
