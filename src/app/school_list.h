// A school's list after its review (aid-cycle.md ANNOUNCING → FILING and term
// adjustment): where the school stands (its own stage, since each school
// announces and files on its own while the cycle stays in REVIEW), and the
// list itself — each decided student's entry, which is the review decision
// overlaid by the newest recorded change (an upheld objection or appeal, a
// revision after a return, an adjustment). Decisions and changes are never
// edited, so the list can always be told from its history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "core/fen.h"
#include "core/policy.h"
#include "store/store.h"

namespace zizhu::app {

std::string_view list_stage_label(store::ListStage stage);  // 学校评审, 公示中, 备案审核中, 已备案

// The cycle and one of its schools the actor may see; a school's own users
// may leave the code out (NOT_FOUND naming school_code otherwise).
struct SchoolOfCycle {
  store::Cycle cycle;
  store::School school;
};
Result<SchoolOfCycle> school_of_cycle(store::Store& store, const Actor& actor, int64_t cycle_id,
                                      const std::optional<std::string>& school_code);

// The school's stage; REVIEW in round 1 when nothing is recorded yet.
Result<store::SchoolListState> list_state(store::Store& store, int64_t cycle_id, int64_t school_id);
// STATE_CONFLICT naming the school's stage unless it is one of `allowed`.
Result<void> require_list_stage(const store::SchoolListState& state, std::initializer_list<store::ListStage> allowed,
                                std::string_view doing);
// Moves the school to `stage` in `round` (the caller's transaction).
Result<void> set_list_stage(App& app, store::Store& store, int64_t cycle_id, int64_t school_id, int round,
                            store::ListStage stage);

// One student's entry per term: a level of the policy, or none (no aid).
struct TermEntry {
  std::optional<int> level;
  Fen amount;  // annual amount of the level; 0 for none
};

struct ListEntry {
  int64_t student_id = 0;
  TermEntry term1, term2;
  // What the entry now rests on: "d" (the decision) or "c<id>" (a change).
  // An announcement records it, so that what still needs announcing is known.
  std::string source;
  bool funded() const { return term1.level.has_value() || term2.level.has_value(); }
};

// The school's list now: one entry per decided student, by student id.
Result<std::vector<ListEntry>> current_list(store::Store& store, int64_t cycle_id, int64_t school_id);

// A term's share of an annual amount (funds.md: the annual amount divided by
// the number of terms, the last term taking the remainder).
Fen term_amount(Fen annual, int term);
// What the list pays over the year, term by term: what it commits against
// the school's budget.
Fen committed_total(const std::vector<ListEntry>& list);
// The rows of the newest identification run covering the school (its own
// run or the county's). Empty before any run. Not every row is a candidate:
// results.csv also reports students who did not apply only for their data
// flags (is_candidate).
// `run_id`, when given, is set to the run's id (0: no run yet).
Result<std::vector<store::IdentificationResult>> school_results(store::Store& store, int64_t cycle_id,
                                                                const store::School& school,
                                                                int64_t* run_id = nullptr);
// A row the panel must decide: an application, or a student on a priority
// list proposed without applying (直接认定: verified categories).
bool is_candidate(const store::IdentificationResult& row);
// The candidates among school_results.
Result<std::vector<store::IdentificationResult>> school_candidates(store::Store& store, int64_t cycle_id,
                                                                   const store::School& school);

// The school's budget in the cycle (0 when none was set).
Result<Fen> school_budget(store::Store& store, int64_t cycle_id, int64_t school_id);

}  // namespace zizhu::app
