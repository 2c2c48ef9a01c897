// The figures of one cycle for the staff dashboard (首页): per school the
// applications, candidates, decisions and the funded; the funded by level and
// by identified category; how many of the students on departments' lists
// (priority students, 应助尽助) are funded; what is overdue; and, for those
// who may read the funds, the payment progress per school and term.
//
// Everything is counted on the server from the same records the pages show
// (the school's list as it stands, the newest identification run covering
// each school, the payment lines), within the actor's scope, so that the
// browser never reads thousands of rows to draw a chart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "core/fen.h"
#include "store/store.h"

namespace zizhu::app {

struct DashboardSchool {
  std::string school_code, school_name;
  std::string stage_label;   // the school's list: 学校评审, 公示中, ...
  int64_t applications = 0;  // submitted (not withdrawn)
  int64_t candidates = 0;    // rows of the newest run the panel must decide
  int64_t decided = 0;
  int64_t funded = 0;
  Fen committed;             // what the list pays over the year
  int64_t priority = 0;         // students with an identified category (on a department's list)
  int64_t priority_funded = 0;  // of them, funded
  bool identified = false;      // an identification run covers the school
  int64_t objections_open = 0, objections_overdue = 0;
  std::optional<int64_t> followups_missing;  // only with application.read
};

struct DashboardLevel {
  int level = 0;
  int64_t students = 0;
  Fen annual;  // the year's amount of these students
};

struct DashboardCategory {
  std::string category;  // the policy's code; "" for students funded without one
  int64_t priority = 0;  // students identified with it
  int64_t funded = 0;    // of the funded, those identified with it
};

struct DashboardPayment {
  int term = 1;
  std::string school_code, school_name;
  int64_t due_students = 0;  // with a level in the term on the list now
  Fen due;
  int64_t paid_students = 0;
  Fen paid;
  int64_t prepared = 0, pending = 0, failed = 0, returned = 0;  // lines (cancelled ones left out)
};

struct DashboardFollowups {
  int term = 1;
  std::string term_label;
  int64_t funded = 0;
  int64_t missing = 0;
};

struct Dashboard {
  int64_t cycle_id = 0;
  std::string cycle_name, school_year, state, state_label;
  std::vector<DashboardSchool> schools;
  std::vector<DashboardLevel> levels;
  std::vector<DashboardCategory> categories;
  std::optional<DashboardFollowups> followups;  // application.read
  std::optional<int64_t> feedback_overdue;      // feedback.manage
  std::optional<std::vector<DashboardPayment>> payments;  // funds.read
};

// The cycle must be one the actor may see (NOT_FOUND otherwise); the parts
// behind another permission are left out unless the actor holds it.
Result<Dashboard> cycle_dashboard(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);

}  // namespace zizhu::app
