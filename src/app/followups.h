// Follow-up of funded students (跟踪管理, aid-cycle.md "Follow-up and the
// family's side"): the school officer records, at least once a term, a home
// visit, a talk, the study and living situation, a referral for
// psychological support or career guidance; the school and the county see
// which funded students have no record yet in a term. Records are kept as
// recorded (a correction is a new record). The note is free text about a
// family: it stays out of the audit log (which records that a follow-up was
// added, its kind, term and date) and may not carry ID-like numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/paging.h"
#include "core/date.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

inline constexpr size_t kFollowupNoteBytesMax = 2000;

std::string_view followup_kind_label(store::FollowupKind kind);  // 家访, 谈心谈话, ...

struct FollowupInput {
  int64_t student_id = 0;
  std::optional<int64_t> term;  // 1 or 2; none: the current term (current_term)
  std::string kind;             // home_visit, talk, study_living, psych_referral, career_guidance
  std::string happened_on;      // YYYY-MM-DD
  std::string note;
};

struct FollowupView {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t student_id = 0;
  std::string student_name;
  std::string school_code;
  std::string school_name;
  int term = 1;
  std::string term_label;  // 秋季学期, 春季学期
  std::string kind;
  std::string kind_label;
  std::string happened_on;
  std::string note;
  int64_t recorded_by = 0;
  std::string recorded_by_name;
  int64_t recorded_at_ms = 0;
};

// The term a follow-up belongs to by default: the term of `today` when it
// lies in the cycle's school year (core/school_year.h: the spring term starts
// on 1 February), 1 before the school year, 2 after it.
int current_term(const store::Cycle& cycle, Date today);

// The school officer records a follow-up of a funded student of a school in
// scope. The cycle in REVIEW, ANNOUNCING, FILING or APPROVED (not CLOSED:
// the year's records are read-only); happened_on within the cycle's school
// year and not after today.
Result<FollowupView> add_followup(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                  const FollowupInput& input);

struct FollowupQuery {
  std::optional<int64_t> student_id;
  std::optional<std::string> school_code;
  std::optional<int64_t> term;
};
// The cycle's records of the schools in scope (a student's, a school's, a
// term's), newest first.
Result<Page<FollowupView>> list_followups(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                          const FollowupQuery& query, const PageRequest& page);

struct MissingFollowup {
  int64_t student_id = 0;
  std::string student_name;
  std::string student_no;  // masked
  std::string school_code;
  std::string school_name;
  int grade = 0;
  std::string class_name;
  std::optional<int> level;
};

struct MissingFollowups {
  std::string school_year;
  int term = 1;
  std::string term_label;
  int64_t funded = 0;  // funded students looked at
  std::vector<MissingFollowup> items;
};

// The funded students with no record in the term: of the actor's school, or
// of every school of the cycle's county in scope for county users (one
// school with `school_code`).
Result<MissingFollowups> missing_followups(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                           const std::optional<std::string>& school_code,
                                           std::optional<int64_t> term);

}  // namespace zizhu::app
