// The demo's later stages of the year (issue 5), so that every page has
// something real on it: in each county last school year's cycle, where one
// school went through review, 公示 (with an objection answered), filing and
// approval with the clock set back to those weeks; and in the other county
// this year's cycle under review, one school's announcement running today
// with an objection open. Everything goes through the app operations the API
// calls; only the clock is moved while last year is replayed.
#pragma once

#include <cstdint>

#include "app/app.h"
#include "app/demo.h"
#include "app/demo_cycle.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

struct DemoYearPeople {
  int64_t school_officer_own = 0;
  int64_t reviewers_own[3] = {0, 0, 0};
  int64_t school_officer_far = 0;
  int64_t reviewers_far[3] = {0, 0, 0};
  int64_t county_officer_far = 0;  // approves the payment batches there
};

Result<void> add_demo_later_stages(App& app, store::Store& store, const DemoPlaces& places,
                                   const DemoYearPeople& people, DemoObjects& objects);

}  // namespace zizhu::app
