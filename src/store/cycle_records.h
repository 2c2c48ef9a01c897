// Records of the aid cycle (aid-cycle.md), as the store reads and writes
// them: the cycle, its policy versions and budgets, the departments' lists
// imported into it, and the applications. What each state allows is decided
// in app/, not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/fen.h"
#include "store/records.h"
#include "store/sensitive.h"

namespace zizhu::store {

enum class CycleState : uint8_t { kDraft, kOpen, kReview, kAnnouncing, kFiling, kApproved, kClosed };

std::string_view cycle_state_key(CycleState state);  // "DRAFT", "OPEN", ...
std::optional<CycleState> parse_cycle_state(std::string_view key);

struct CycleInput {
  int64_t county_id = 0;
  std::string school_year;  // "2026-2027"
  std::string name;
  int64_t now_ms = 0;
};

struct Cycle {
  int64_t id = 0;
  int64_t county_id = 0;
  std::string county_code;
  std::string county_name;
  std::string county_path;  // the data scope the cycle belongs to
  std::string school_year;
  std::string name;
  CycleState state = CycleState::kDraft;
  std::optional<int> policy_version;
  std::optional<Date> applications_open_on;
  std::optional<Date> applications_close_on;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// One stored text of a cycle's policy; versions are never changed.
struct PolicyVersion {
  int64_t cycle_id = 0;
  int version = 0;
  std::string toml;
  std::string sm3;  // hex of the text's SM3
  std::optional<int64_t> created_by;
  int64_t created_at_ms = 0;
};

struct SchoolBudget {
  int64_t school_id = 0;
  std::string school_code;
  std::string school_name;
  Fen budget;
};

struct DeptListImportInput {
  int64_t cycle_id = 0;
  std::string source;    // e.g. 民政局
  std::string file_sm3;  // of the uploaded bytes
  int64_t rejected = 0;
  std::optional<int64_t> imported_by;
  int64_t imported_at_ms = 0;
};

struct DeptListEntryInput {
  long row_number = 0;  // in the uploaded file (the header is row 1)
  SensitiveText id_number;
  std::string name;
  std::string category;  // the policy's category code
  std::optional<Date> valid_from;
  std::optional<Date> valid_to;
  std::string source;
};

struct DeptListImport {
  int64_t id = 0;
  int64_t cycle_id = 0;
  std::string source;
  std::string file_sm3;
  int64_t accepted = 0;
  int64_t rejected = 0;
  std::optional<int64_t> imported_by;
  int64_t imported_at_ms = 0;
};

enum class ApplicationState : uint8_t { kSubmitted, kWithdrawn };
std::string_view application_state_key(ApplicationState state);  // "SUBMITTED", "WITHDRAWN"

// The family data of identify.md's applications file.
struct FamilyData {
  int household_size = 0;  // 1-30
  Fen household_income;    // annual, >= 0
  std::vector<std::string> claimed_categories;  // policy category codes
  std::optional<bool> serious_illness;
  std::optional<bool> sudden_hardship;
  std::optional<bool> single_parent;
  std::optional<int> siblings_in_school;
  bool operator==(const FamilyData&) const = default;
};

struct ApplicationInput {
  int64_t cycle_id = 0;
  int64_t student_id = 0;
  int64_t school_id = 0;
  std::string channel;  // "guardian" or "school"
  FamilyData family;
  int64_t submitted_by = 0;  // user id
  int64_t now_ms = 0;
};

struct Application {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t student_id = 0;
  int64_t school_id = 0;
  ApplicationState state = ApplicationState::kSubmitted;
  std::string channel;
  FamilyData family;
  int64_t submitted_by = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// The school's decision on an applicant (review_decision), as the
// applications list filters by it.
enum class ApplicationDecision : uint8_t {
  kUndecided,  // no decision yet
  kFunded,     // decided with a level
  kNotFunded,  // decided: no aid
};

// Every set filter must hold. The text filters are for the staff's search
// box: names are stored in the clear (docs/crypto.md), so they are matched in
// SQL; the 学籍号 is sealed, so it is matched whole through its blind index.
struct ApplicationFilter {
  std::optional<int64_t> school_id;
  std::optional<ApplicationState> state;
  std::optional<std::string> name_part;        // the student's name contains it
  std::optional<std::string> class_part;       // the class name contains it
  std::optional<SensitiveText> student_no;     // exactly this 学籍号 (normalised)
  std::optional<ApplicationDecision> decision;
};

// A roster row as the identification run reads it: the student with every
// value opened, the school's code and the guardian's ID number.
struct RosterRow {
  Student student;
  std::string school_code;
  std::optional<SensitiveText> guardian_id_number;
};

struct IdentificationRunInput {
  int64_t cycle_id = 0;
  std::optional<int64_t> school_id;  // none: the whole county
  int policy_version = 0;
  std::optional<int64_t> run_by;
  int64_t started_at_ms = 0, finished_at_ms = 0;
  int64_t students = 0, rejects = 0;
  std::string results_sm3, schools_sm3;
};

struct IdentificationRun {
  int64_t id = 0;
  IdentificationRunInput run;
  int64_t results = 0;
};

struct IdentificationResult {
  int64_t row_no = 0;  // order in results.csv, from 1
  std::optional<int64_t> student_id;
  std::optional<int64_t> school_id;
  std::string status;  // FUNDED, WAITLIST, BLOCKED, NOT_APPLIED, NOT_ELIGIBLE
  std::optional<int> level;  // the policy's level number
  std::optional<Fen> amount;
  int score = 0;
  std::string categories;  // codes joined by ';'
  std::string flags;       // codes joined by ';'
  std::optional<int> rank;
  std::string explanation;
};

// Which rows of a run to read (all of them when empty): the staff's search
// of the results.
struct ResultFilter {
  std::string status;             // one status, or any
  std::optional<int> level;       // one level number
  bool no_level = false;          // only rows without a level
  std::string flag;               // one flag code, "ANY" for rows with a flag
  std::string text;               // in the student's name or masked 学籍号
  bool empty() const { return status.empty() && !level && !no_level && flag.empty() && text.empty(); }
};

struct Evidence {
  int64_t id = 0;
  int64_t application_id = 0;
  std::string sm3;
  int64_t size_bytes = 0;
  std::string kind;  // pdf, jpeg, png
  std::string note;  // what the file is, e.g. 低保证
  int64_t uploaded_by = 0;
  int64_t uploaded_at_ms = 0;
  std::optional<int64_t> removed_at_ms;
};

struct Notice {
  int64_t id = 0;
  int64_t county_id = 0;
  std::string county_code;
  std::string county_name;
  std::string county_path;
  std::string title;
  std::string body;
  std::optional<int64_t> published_by;
  int64_t published_at_ms = 0;
  std::optional<int64_t> withdrawn_at_ms;
};

struct PanelMember {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
};

struct ReviewVote {
  int64_t student_id = 0;
  int64_t user_id = 0;
  std::optional<int> level;  // none: no aid
  int64_t cast_at_ms = 0;
};

struct ReviewDecision {
  int64_t cycle_id = 0;
  int64_t student_id = 0;
  int64_t school_id = 0;
  std::optional<int> level;  // none: no aid
  Fen amount;
  std::optional<int> suggested_level;
  int64_t run_id = 0;
  std::string votes;   // the tally it was decided on, e.g. "1:2;2:1;none:0"
  std::string reason;  // empty when none was needed
  int64_t decided_by = 0;
  int64_t decided_at_ms = 0;
};

struct FlagResolution {
  int64_t student_id = 0;
  std::string flag;
  std::string resolution;
  int64_t resolved_by = 0;
  int64_t resolved_at_ms = 0;
};

// A school's own progress after its review (migration 10). No row means
// REVIEW in round 1; a round above 1 is a term adjustment (动态调整).
enum class ListStage : uint8_t { kReview, kAnnouncing, kFiling, kApproved };
std::string_view list_stage_key(ListStage stage);  // "REVIEW", ...
std::optional<ListStage> parse_list_stage(std::string_view key);

struct SchoolListState {
  int64_t cycle_id = 0;
  int64_t school_id = 0;
  int round = 1;
  ListStage stage = ListStage::kReview;
  int64_t updated_at_ms = 0;
};

// A change to a decided list: an upheld objection or appeal, a revision
// after the county returned the list, a term adjustment. The newest change
// of a student is the student's entry; kept as made.
struct ListChange {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t school_id = 0;
  int64_t student_id = 0;
  int round = 1;
  std::optional<int> level;  // none: no aid (removed, or aid ended)
  Fen amount;                // annual
  int from_term = 1;         // the term the entry holds from
  std::string cause;         // objection, appeal, revision, adjustment
  std::optional<int64_t> objection_id;
  std::string reason;
  std::string votes;  // the panel's tally for a revision or adjustment, as review_decision.votes
  int64_t made_by = 0;
  int64_t made_at_ms = 0;
};

// A 公示 as published: the rows (JSON, with the internal student ids beside
// the public fields) and their SM3. Public from starts_on to ends_on
// (inclusive, China dates); kept as published.
struct Announcement {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t school_id = 0;
  std::string school_code, school_name, school_path;
  int round = 1;
  std::string kind;  // "list" (the decided list) or "change" (changed entries)
  std::string starts_on, ends_on;  // YYYY-MM-DD
  int working_days = 0;
  std::string entries;  // JSON array
  std::string entries_sm3;
  int64_t published_by = 0;
  int64_t published_at_ms = 0;
};

// An objection (异议) to an announcement, about one of its rows or the
// whole list, from anyone; the objector holds a receipt code (only its hash
// is kept) to follow it and appeal.
struct Objection {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t school_id = 0;
  int64_t announcement_id = 0;
  std::optional<int> entry_no;  // the row of the announcement, from 1
  std::optional<int64_t> student_id;
  std::string text;
  std::optional<std::string> objector_name;
  std::string receipt_hash;
  std::string state;  // OPEN, UPHELD, DISMISSED, APPEALED, APPEAL_UPHELD, APPEAL_DISMISSED
  int64_t received_at_ms = 0;
  std::string answer_due_on;
  std::optional<std::string> answer;
  std::optional<int64_t> answered_by, answered_at_ms;
  std::optional<std::string> appeal_due_on, appeal_text;
  std::optional<int64_t> appealed_at_ms;
  std::optional<std::string> decision_due_on, decision;
  std::optional<int64_t> decided_by, decided_at_ms;
};

// A school's list submitted for filing (建档备案): the snapshot (canonical
// JSON) and its SM3 never change; the county approves or returns it once.
struct Filing {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t school_id = 0;
  std::string school_code, school_name;
  int round = 1;
  std::string state;  // SUBMITTED, RETURNED, APPROVED
  std::string snapshot;
  std::string snapshot_sm3;
  int64_t entries = 0;
  Fen total;
  int64_t submitted_by = 0;
  int64_t submitted_at_ms = 0;
  std::optional<int64_t> decided_by, decided_at_ms;
  std::optional<std::string> reason;
};

}  // namespace zizhu::store
