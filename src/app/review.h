// The school's review (学校认定, aid-cycle.md REVIEW): each school's panel
// for the cycle (at least three of its reviewers), their votes per candidate
// (a level, or no aid), and the decision the school officer records: the
// panel's majority, with a written reason when it departs from the
// identification's suggestion or breaks a tie; within the school's budget;
// never "funded" while a blocking flag is not resolved (the resolution is
// recorded). The review is private: nothing here is public.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

inline constexpr int kPanelMembersMin = 3;
// Votes needed before a decision. aid-cycle.md lets the policy raise it; the
// policy file has no such key yet, so it is the panel minimum.
inline constexpr int kQuorumVotes = 3;

struct PanelView {
  std::string school_code;
  std::vector<store::PanelMember> members;
  int quorum = kQuorumVotes;
};

// `school_code` may be omitted by a school's own users.
Result<PanelView> get_panel(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                            const std::optional<std::string>& school_code);
// The school officer names the members (user names of reviewers of the
// school, at least three); OPEN or REVIEW.
Result<PanelView> set_panel(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                            const std::optional<std::string>& school_code, const std::vector<std::string>& usernames);

struct CandidateView {
  int64_t student_id = 0;
  std::string student_name;
  std::string student_no;  // masked
  int grade = 0;
  std::string class_name;
  std::string status;  // of the identification
  // The panel must decide it: an application, or a student proposed without
  // applying (直接认定); else a row reported for its data flags only.
  bool candidate = false;
  int score = 0;
  std::optional<int> suggested_level;
  std::vector<std::string> flags;
  std::vector<std::string> unresolved_blocking_flags;
  // The votes now counted: before the decision, on the decision; after a
  // return or in a term adjustment, on changing the entry `vote_basis`.
  std::string vote_basis;            // "" (the decision), or the entry: "d", "c<id>", "none"
  std::map<std::string, int> votes;  // "1", "2", ..., "none" -> count
  int votes_cast = 0;
  std::optional<std::optional<int>> my_vote;  // set when the actor voted: the level or none
  bool decided = false;
  std::optional<int> decided_level;
  std::string decided_amount;  // yuan
  std::string decision_reason;
  // The student's entry on the school's list now (review_board only): the
  // decision, or the newest change to it (school_list.h).
  bool on_list = false;
  std::optional<int> entry_level;  // from term 2 on, where a term adjustment differs
  bool entry_changed = false;
};

// The candidates of a school: the rows of the newest identification run
// covering it, with votes and decisions.
Result<std::vector<CandidateView>> review_board(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                                const std::optional<std::string>& school_code);

// A panel member votes (or changes the vote) until the decision; REVIEW.
Result<CandidateView> cast_vote(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                int64_t student_id, std::optional<int> level);
// The school officer records the decision; REVIEW.
Result<CandidateView> decide(App& app, store::Store& store, const Actor& actor, int64_t cycle_id, int64_t student_id,
                             std::optional<int> level, std::string_view reason);
// The school officer changes a decided student's entry with a reason, while
// the school's list is in its review stage: after the county returned the
// list (a revision, from term 1), or in a term adjustment round (from term
// 2: a new student added, or aid ended). The panel votes on the change
// first (cast_vote counts those votes on the entry as it stands), and the
// level must be its majority, as for a decision. Recorded as a list change
// with the tally; the budget and blocking flags hold as for a decision.
Result<CandidateView> revise_entry(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                   int64_t student_id, std::optional<int> level, std::string_view reason);
// For a change of a student's entry made outside the review (an upheld
// objection or appeal): the annual amount of `level` for the student, after
// checking the level is the policy's, the changed list fits the school's
// budget and (for a level) no blocking flag is unresolved. Reads only.
Result<Fen> check_entry_change(store::Store& store, const Actor& actor, int64_t cycle_id, int64_t student_id,
                               std::optional<int> level);
// The school officer records how a flag was looked into and settled.
Result<CandidateView> resolve_flag(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                   int64_t student_id, std::string_view flag, std::string_view resolution);

}  // namespace zizhu::app
