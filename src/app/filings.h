// 建档备案 (aid-cycle.md FILING): after its announcements have ended with no
// open objection, a school submits its list; the county approves it (the
// submitted snapshot — canonical JSON with its SM3 — is then the frozen list
// payments are made from) or returns it with a reason (the school is back in
// its review stage). Before deciding, the county sees every school's stage,
// flags and figures (school_overview).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/cycles.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

struct FilingView {
  int64_t id = 0;
  int64_t cycle_id = 0;
  std::string school_code, school_name;
  int round = 1;
  std::string state;  // SUBMITTED, RETURNED, APPROVED
  std::string state_label;
  std::string snapshot_sm3;
  int64_t entries = 0;
  std::string total;  // yuan
  int64_t submitted_at_ms = 0;
  std::optional<int64_t> decided_at_ms;
  std::optional<std::string> reason;
  std::string snapshot;  // the canonical JSON, on the single-filing read
};

// The school officer submits: the school's announcements of the round have
// all ended, no objection is open, and the school is ANNOUNCING — or back in
// REVIEW after a return with nothing changed since its last announcement.
Result<FilingView> submit_filing(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                 const std::optional<std::string>& school_code);
// The county officer (never the school itself) approves or returns a
// submitted list.
Result<FilingView> approve_filing(App& app, store::Store& store, const Actor& actor, int64_t filing_id);
Result<FilingView> return_filing(App& app, store::Store& store, const Actor& actor, int64_t filing_id,
                                 std::string_view reason);

Result<std::vector<FilingView>> list_filings(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                             const std::optional<std::string>& school_code);
Result<FilingView> get_filing(App& app, store::Store& store, const Actor& actor, int64_t filing_id);

// 动态调整: in the spring term, a school whose list is approved opens a term
// adjustment round (APPROVED → REVIEW, round + 1). In it the school officer
// adds or ends entries from term 2 (review.h revise_entry), then announces
// the changed entries and files again as in round 1.
struct AdjustmentView {
  std::string school_code;
  int round = 1;
  std::string stage;
};
Result<AdjustmentView> open_adjustment(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                   const std::optional<std::string>& school_code);

// The cycle as a whole (aid-cycle.md REVIEW → … → APPROVED → CLOSED): the
// county marks it APPROVED once every school with candidates has its list
// approved (the refusal names the schools still on their way), and CLOSED at
// the end of the year, when no school is in a term adjustment; a closed
// cycle's records are read-only. Term adjustments run in an APPROVED cycle.
Result<CycleView> approve_cycle(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);
Result<CycleView> close_cycle(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);

// One school of a cycle as the county sees it before approving.
struct SchoolListOverview {
  std::string school_code, school_name;
  std::string stage, stage_label;
  int round = 1;
  std::string budget;     // yuan
  std::string committed;  // yuan: what the list pays over the year
  int64_t candidates = 0, decided = 0, funded = 0, changes = 0;
  std::map<std::string, int64_t> flags;          // flag code -> students of the run's rows with it
  std::map<std::string, int64_t> funded_flags;   // flag code -> funded students with it
  int64_t announcements = 0;
  int64_t objections = 0, objections_open = 0, objections_overdue = 0;
  std::optional<int64_t> latest_filing_id;
  std::string latest_filing_state;
};
Result<std::vector<SchoolListOverview>> school_overview(App& app, store::Store& store, const Actor& actor,
                                                        int64_t cycle_id);

}  // namespace zizhu::app
