// Applications for aid (个人申请, aid-cycle.md OPEN): made by a guardian for
// their own children (the portal) or entered by a school officer for a family,
// with the family data identify.md's applications file holds. Accepted while
// the cycle is OPEN and today lies within its application dates; edited and
// withdrawn under the same rule; one per student and cycle (a withdrawn one
// may be submitted again).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/paging.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

// As the user gives it: categories by the policy's code or name.
struct FamilyInput {
  int64_t household_size = 0;
  int64_t household_income_fen = -1;
  std::vector<std::string> claimed_categories;
  std::optional<bool> serious_illness;
  std::optional<bool> sudden_hardship;
  std::optional<bool> single_parent;
  std::optional<int64_t> siblings_in_school;
};

struct ApplicationView {
  int64_t id = 0;
  int64_t cycle_id = 0;
  std::string school_year;
  int64_t student_id = 0;
  std::string student_name;
  std::string student_no;  // masked
  std::string school_code;
  std::string school_name;
  int grade = 0;
  std::string class_name;
  std::string state;        // SUBMITTED, WITHDRAWN
  std::string state_label;  // 已提交, 已撤回
  std::string channel;      // guardian, school
  int64_t household_size = 0;
  int64_t household_income_fen = 0;
  std::vector<std::string> claimed_categories;  // codes
  std::optional<bool> serious_illness;
  std::optional<bool> sudden_hardship;
  std::optional<bool> single_parent;
  std::optional<int64_t> siblings_in_school;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  // The school's decision (民主评议), filled in by list_applications only:
  // UNDECIDED, FUNDED (with its level) or NOT_FUNDED.
  std::string decision;
  std::optional<int> decision_level;
};

// A guardian (own children only) or a school officer (students of the
// schools in scope). The student must be in the cycle's county.
Result<ApplicationView> submit_application(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                           int64_t student_id, const FamilyInput& family);
Result<ApplicationView> edit_application(App& app, store::Store& store, const Actor& actor, int64_t application_id,
                                         const FamilyInput& family);
Result<ApplicationView> withdraw_application(App& app, store::Store& store, const Actor& actor,
                                             int64_t application_id);

Result<ApplicationView> get_application(App& app, store::Store& store, const Actor& actor, int64_t application_id);

// The staff's search, as the request gives it (checked here, each fault
// naming its parameter). `q` is a full 学籍号 — matched through its blind
// index, since the number is sealed — or else a part of the student's name;
// `class_name` a part of the class name.
inline constexpr size_t kSearchCharsMax = 30;
struct ApplicationQuery {
  std::optional<std::string> school_code;
  std::optional<std::string> state;     // SUBMITTED, WITHDRAWN
  std::optional<std::string> q;
  std::optional<std::string> class_name;
  std::optional<std::string> decision;  // UNDECIDED, FUNDED, NOT_FUNDED
};
Result<Page<ApplicationView>> list_applications(App& app, store::Store& store, const Actor& actor,
                                                int64_t cycle_id, const ApplicationQuery& query,
                                                const PageRequest& page);

// The application if the actor may see it (a guardian: their child's; staff:
// of a school in scope), NOT_FOUND otherwise. With `changing`, also that it
// may change now: the cycle OPEN, today within its dates, the application
// SUBMITTED. For the parts that hang on an application (evidence).
Result<store::Application> reachable_application(App& app, store::Store& store, const Actor& actor,
                                                 int64_t application_id, bool changing);

// A guardian's side: the applications of their children, and the cycles
// they may apply in (OPEN, of a child's county).
Result<std::vector<ApplicationView>> guardian_applications(App& app, store::Store& store, const Actor& actor);
struct GuardianCycle {
  int64_t cycle_id = 0;
  std::string name;
  std::string school_year;
  std::string applications_open_on;
  std::string applications_close_on;
  std::vector<int64_t> student_ids;  // the children who may apply in it
  // Whether applications are accepted today (the server's China date, which
  // a family's phone may not agree with), and that date.
  bool accepting = false;
  std::string today;
};
Result<std::vector<GuardianCycle>> guardian_cycles(App& app, store::Store& store, const Actor& actor);

}  // namespace zizhu::app
