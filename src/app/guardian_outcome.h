// What a guardian may know of their child's application once the school has
// made it public (issue 7 item 3): the decision — funded at a level, or not —
// with the school's reason, the later changes to the child's entry (an upheld
// objection or appeal, a revision after a returned filing, a term
// adjustment), and the county's approval of the filing.
//
// The rule: nothing before the school's first announcement of the cycle.
// Until then the panel may still be voting and the school may still change
// its mind, so the portal says only that the school is reviewing. From the
// announcement on, the decision is what the school stood behind in public.
// A later change is shown once it has been announced (its row is in one of
// the school's announcements), or was made before the school's newest
// announcement. Never shown: the panel's votes, the identification score,
// flags, other students, or the text of objections (anonymous by design).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

struct OutcomeChange {
  std::string cause;        // objection, appeal, revision, adjustment
  std::string cause_label;  // 异议成立, 申诉成立, 备案退回后修改, 学期调整
  std::optional<int> level;
  std::string level_label;  // the policy's name, or 不予资助
  std::string amount;       // annual, yuan
  int from_term = 1;
  std::string reason;
  std::string made_on;  // YYYY-MM-DD
};

struct GuardianOutcome {
  // reviewing (nothing public yet), announced, filed (the county approved
  // the school's list)
  std::string stage;
  std::string stage_label;  // 学校评审中, 已公示, 已备案
  std::string announced_on;  // the school's first announcement, "" before
  // From the announcement on: the entry as it stands now (the decision, or
  // the newest change shown).
  std::optional<bool> funded;
  std::optional<int> level;
  std::string level_label;  // "" before the announcement
  std::string amount;       // annual, yuan; "" before
  std::string reason;       // the school's reason for the decision
  std::string decided_on;
  std::vector<OutcomeChange> changes;  // oldest first
  std::string filed_on;                // "" until the county approves
  // The school's announcement running today, for an objection from the
  // portal (0: none running).
  int64_t running_announcement_id = 0;
  std::string running_until;
};

// For a guardian's own child's application (the caller has checked that).
// A withdrawn application has no outcome (nullopt).
Result<std::optional<GuardianOutcome>> guardian_outcome(App& app, store::Store& store,
                                                        const store::Application& application);

}  // namespace zizhu::app
