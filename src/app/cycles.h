// The aid cycle (aid-cycle.md): one county's aid for one school year, its
// policy (stored in versions: the cycle keeps every text it ran under), the
// schools' budgets, the application dates, and the moves DRAFT -> OPEN ->
// REVIEW. Every change is authorised by scope and state here, validated,
// and recorded in the audit log in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/date.h"
#include "core/error.h"
#include "core/policy.h"
#include "store/store.h"

namespace zizhu::app {

struct CycleView {
  int64_t id = 0;
  std::string county_code;
  std::string county_name;
  std::string school_year;
  std::string name;
  std::string state;        // "DRAFT", "OPEN", ...
  std::string state_label;  // 草稿, 申请中, ...
  std::optional<int> policy_version;
  std::string applications_open_on;   // YYYY-MM-DD or ""
  std::string applications_close_on;  // YYYY-MM-DD or ""
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

std::string_view cycle_state_label(store::CycleState state);

// The cycles the actor may see: those of the counties above or below the
// actor's node; a school-level user does not see a DRAFT one.
Result<std::vector<CycleView>> list_cycles(App& app, store::Store& store, const Actor& actor);
Result<CycleView> get_cycle(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);

// A new DRAFT cycle of the actor's county, with the default policy as its
// version 1 (its school_year set to the cycle's). The actor's node must be a
// county; school_year is "YYYY-YYYY" with consecutive years.
Result<CycleView> create_cycle(App& app, store::Store& store, const Actor& actor, std::string_view school_year,
                               std::string_view name);

struct PolicyView {
  int version = 0;
  std::string toml;
  std::string sm3;
  struct Version {
    int version = 0;
    std::string sm3;
    int64_t created_at_ms = 0;
  };
  std::vector<Version> versions;
};
Result<PolicyView> get_policy(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);
// DRAFT only. The text must read as identify.md's policy (errors name the
// key and line) and carry the cycle's school year.
Result<PolicyView> set_policy(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                              std::string_view toml);

struct BudgetView {
  std::string school_code;
  std::string school_name;
  int64_t budget_fen = 0;
};
// The budgets of the schools in the actor's scope.
Result<std::vector<BudgetView>> get_budgets(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);
struct BudgetInput {
  std::string school_code;
  int64_t budget_fen = 0;
};
// DRAFT or OPEN; each school must be one of the cycle's county.
Result<std::vector<BudgetView>> set_budgets(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                            const std::vector<BudgetInput>& budgets);

// DRAFT or OPEN; open_on <= close_on.
Result<CycleView> set_dates(App& app, store::Store& store, const Actor& actor, int64_t cycle_id, Date open_on,
                            Date close_on);

// DRAFT -> OPEN: needs a policy, the dates and at least one budget.
Result<CycleView> open_cycle(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);
// OPEN -> REVIEW: applications close.
Result<CycleView> close_applications(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);

// For the other parts of the cycle (lists, applications): the cycle if the
// actor may see it (NOT_FOUND otherwise, as for one that does not exist),
// and the cycle if the actor may manage it (its county is in the actor's
// scope).
Result<store::Cycle> visible_cycle(store::Store& store, const Actor& actor, int64_t cycle_id);
Result<store::Cycle> managed_cycle(store::Store& store, const Actor& actor, int64_t cycle_id);
// The cycle's current policy, parsed.
Result<Policy> cycle_policy(store::Store& store, const store::Cycle& cycle);
// STATE_CONFLICT with a Chinese message naming the state, unless `cycle` is
// in one of `allowed`.
Result<void> require_state(const store::Cycle& cycle, std::initializer_list<store::CycleState> allowed,
                           std::string_view doing);
// The calendar date in China (UTC+8) of a time in ms since the epoch, and
// today's from the app's clock.
Date china_date(int64_t ms);
Date china_today(const App& app);

CycleView cycle_view(const store::Cycle& c);

}  // namespace zizhu::app
