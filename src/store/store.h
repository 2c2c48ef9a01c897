// The storage interface. The domain and the commands talk to a Store; SQL lives
// only behind it (store/sqlite/, later store/postgres/). Every operation returns
// a Result: a database error is a value whose message carries the database's
// own error text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/cycle_records.h"
#include "store/followup_records.h"
#include "store/fund_report_records.h"
#include "store/identity_records.h"
#include "store/ledger_records.h"
#include "store/payment_records.h"
#include "store/records.h"

namespace zizhu::store {

// The answer of an operation a backend does not implement (see below).
inline tl::unexpected<Error> unsupported(std::string_view operation) {
  return fail("UNSUPPORTED", "此存储不支持该操作 (operation not supported by this store): " + std::string(operation));
}

class Store {
 public:
  virtual ~Store() = default;

  // --- transactions -------------------------------------------------------
  // One write transaction at a time per Store; operations outside a
  // transaction commit on their own. Prefer the Transaction guard below.
  virtual Result<void> begin() = 0;
  virtual Result<void> commit() = 0;
  // Safe to call when no transaction is open (does nothing).
  virtual Result<void> rollback() = 0;
  virtual bool in_transaction() const = 0;
  // A read-only transaction: every read until commit() or rollback() sees one
  // snapshot, while writers go on (SQLite WAL: a deferred BEGIN; PostgreSQL:
  // REPEATABLE READ READ ONLY). For long reads that must be consistent, such as
  // walking the audit chain. A write transaction is a stronger snapshot, so a
  // store without a cheaper one may use begin().
  virtual Result<void> begin_read() { return begin(); }

  // The highest migration applied (store/migrations.h).
  virtual int schema_version() const = 0;

  // --- organisation tree --------------------------------------------------
  // Inserts or updates the node with this code. The path is computed here
  // (parent's path + segment); a node moved to another parent takes its whole
  // subtree along.
  virtual Result<Upserted> upsert_org_node(const OrgNodeInput& node) = 0;
  virtual Result<std::optional<OrgNode>> find_org_node(std::string_view code) = 0;
  virtual Result<std::optional<OrgNode>> get_org_node(int64_t id) = 0;
  // The node with this path and everything below it, in path order: the data
  // scope of a user who belongs to that node.
  virtual Result<std::vector<OrgNode>> org_subtree(std::string_view path) = 0;

  // --- schools --------------------------------------------------------------
  // Inserts or updates the school with this 学校标识码: its org node (kind
  // school, under the county) and its school row.
  virtual Result<Upserted> upsert_school(const SchoolInput& school) = 0;
  virtual Result<std::optional<School>> find_school(std::string_view school_code) = 0;
  // Schools whose path starts with `path`, in school-code order.
  virtual Result<std::vector<School>> schools_under(std::string_view path) = 0;

  // --- guardians (households) -----------------------------------------------
  // Inserts or updates the guardian with this resident ID (by blind index).
  virtual Result<Upserted> upsert_guardian(const GuardianInput& guardian) = 0;
  virtual Result<std::optional<Guardian>> find_guardian(const SensitiveText& id_number) = 0;

  // --- students -------------------------------------------------------------
  // Inserts or updates the student with this 学籍号 (by blind index).
  virtual Result<Upserted> upsert_student(const StudentInput& student) = 0;
  virtual Result<std::optional<Student>> find_student(const SensitiveText& student_no) = 0;
  // Students of the schools under `path`, in (school code, 学籍号 index) order.
  virtual Result<std::vector<Student>> students_under(std::string_view path) = 0;
  virtual Result<int64_t> count_students() = 0;

  // The operations below are virtual with a body that answers UNSUPPORTED,
  // not pure: FaultInjectingStore (the import tests) forwards only the import
  // operations. Every real backend overrides all of them (SqliteStore does,
  // and its tests call each one through Store&).

  // Students of the schools under `path` that match `filter`, in (school
  // code, student id) order: `limit` rows (at most kPageRowsMax) after
  // skipping `offset`, with the total that match. An index on (school_id, id)
  // makes each page an index range; `filter.after` pages by key instead of by
  // offset, for deep pages.
  virtual Result<Page<StudentListing>> students_page(std::string_view path, const StudentFilter& filter,
                                                     int64_t offset, int64_t limit) {
    (void)path, (void)filter, (void)offset, (void)limit;
    return unsupported("students_page");
  }
  virtual Result<std::optional<Student>> get_student(int64_t id) {
    (void)id;
    return unsupported("get_student");
  }
  // The masked form of get_student: what a detail shows unless revealed.
  virtual Result<std::optional<StudentListing>> get_student_listing(int64_t id) {
    (void)id;
    return unsupported("get_student_listing");
  }
  // A household's children (a guardian account sees only these), in id order.
  virtual Result<std::vector<StudentListing>> students_of_guardian(int64_t guardian_id) {
    (void)guardian_id;
    return unsupported("students_of_guardian");
  }

  // --- the aid cycle (cycle_records.h) -----------------------------------------
  // Scope and state rules are app/'s; these read and write.

  // The new cycle's id; a second cycle for the county and year is CONFLICT.
  virtual Result<int64_t> create_cycle(const CycleInput& cycle) {
    (void)cycle;
    return unsupported("create_cycle");
  }
  virtual Result<std::optional<Cycle>> get_cycle(int64_t id) {
    (void)id;
    return unsupported("get_cycle");
  }
  // The cycles of the counties under `path` or above it (a school sees its
  // county's cycles), newest school year first.
  virtual Result<std::vector<Cycle>> cycles_for(std::string_view path) {
    (void)path;
    return unsupported("cycles_for");
  }
  // Moves the cycle from `from` to `to`; NOT_FOUND when it is not in `from`
  // any more (another request moved it first).
  virtual Result<void> set_cycle_state(int64_t id, CycleState from, CycleState to, int64_t now_ms) {
    (void)id, (void)from, (void)to, (void)now_ms;
    return unsupported("set_cycle_state");
  }
  virtual Result<void> set_cycle_dates(int64_t id, std::optional<Date> open_on, std::optional<Date> close_on,
                                       int64_t now_ms) {
    (void)id, (void)open_on, (void)close_on, (void)now_ms;
    return unsupported("set_cycle_dates");
  }
  // Stores the text as the next version and makes it the cycle's policy.
  virtual Result<int> add_policy_version(const PolicyVersion& policy) {
    (void)policy;
    return unsupported("add_policy_version");
  }
  virtual Result<std::vector<PolicyVersion>> policy_versions(int64_t cycle_id) {
    (void)cycle_id;
    return unsupported("policy_versions");
  }
  // Replaces the budgets of the schools named (others stay).
  virtual Result<void> set_budgets(int64_t cycle_id, const std::vector<SchoolBudget>& budgets) {
    (void)cycle_id, (void)budgets;
    return unsupported("set_budgets");
  }
  virtual Result<std::vector<SchoolBudget>> budgets(int64_t cycle_id) {
    (void)cycle_id;
    return unsupported("budgets");
  }
  // One import with its entries; the import's id.
  virtual Result<int64_t> add_dept_list(const DeptListImportInput& import,
                                        const std::vector<DeptListEntryInput>& entries) {
    (void)import, (void)entries;
    return unsupported("add_dept_list");
  }
  virtual Result<std::vector<DeptListImport>> dept_list_imports(int64_t cycle_id) {
    (void)cycle_id;
    return unsupported("dept_list_imports");
  }
  // The entries of the cycle's lists for one resident ID (blind index).
  virtual Result<std::vector<DeptListEntryInput>> dept_list_entries_for(int64_t cycle_id,
                                                                        const SensitiveText& id_number) {
    (void)cycle_id, (void)id_number;
    return unsupported("dept_list_entries_for");
  }
  // A new application's id; one per student and cycle (CONFLICT otherwise).
  virtual Result<int64_t> create_application(const ApplicationInput& application) {
    (void)application;
    return unsupported("create_application");
  }
  virtual Result<std::optional<Application>> get_application(int64_t id) {
    (void)id;
    return unsupported("get_application");
  }
  virtual Result<std::optional<Application>> find_application(int64_t cycle_id, int64_t student_id) {
    (void)cycle_id, (void)student_id;
    return unsupported("find_application");
  }
  // Replaces the family data and state (a withdrawn one may be submitted again).
  virtual Result<void> update_application(int64_t id, const FamilyData& family, ApplicationState state,
                                          int64_t submitted_by, int64_t now_ms) {
    (void)id, (void)family, (void)state, (void)submitted_by, (void)now_ms;
    return unsupported("update_application");
  }
  // The cycle's applications of the schools under `path`, in (school, id) order.
  virtual Result<Page<Application>> applications_page(int64_t cycle_id, std::string_view path,
                                                      const ApplicationFilter& filter, int64_t offset,
                                                      int64_t limit) {
    (void)cycle_id, (void)path, (void)filter, (void)offset, (void)limit;
    return unsupported("applications_page");
  }

  // For the identification run: the students of the schools under `path`
  // (school code, id order) with their guardians' ID numbers; the cycle's
  // list entries (import order); its SUBMITTED applications under `path`.
  virtual Result<std::vector<RosterRow>> identification_roster(std::string_view path) {
    (void)path;
    return unsupported("identification_roster");
  }
  virtual Result<std::vector<DeptListEntryInput>> dept_list_entries(int64_t cycle_id) {
    (void)cycle_id;
    return unsupported("dept_list_entries");
  }
  virtual Result<std::vector<Application>> submitted_applications(int64_t cycle_id, std::string_view path) {
    (void)cycle_id, (void)path;
    return unsupported("submitted_applications");
  }
  // A run with its result rows; the run's id.
  virtual Result<int64_t> add_identification_run(const IdentificationRunInput& run,
                                                 const std::vector<IdentificationResult>& results) {
    (void)run, (void)results;
    return unsupported("add_identification_run");
  }
  virtual Result<std::vector<IdentificationRun>> identification_runs(int64_t cycle_id) {
    (void)cycle_id;
    return unsupported("identification_runs");
  }
  // A run's rows of the schools under `path` that pass `filter`, in
  // results.csv order; with `with_unplaced`, also the rows of no school
  // (NOT_ENROLLED applications).
  virtual Result<Page<IdentificationResult>> identification_results(int64_t run_id, std::string_view path,
                                                                    bool with_unplaced, const ResultFilter& filter,
                                                                    int64_t offset, int64_t limit) {
    (void)run_id, (void)path, (void)with_unplaced, (void)filter, (void)offset, (void)limit;
    return unsupported("identification_results");
  }

  // Evidence rows (the bytes are in the BlobStore). The new row's id.
  virtual Result<int64_t> add_evidence(const Evidence& evidence) {
    (void)evidence;
    return unsupported("add_evidence");
  }
  // An application's evidence, removed ones included, in upload order.
  virtual Result<std::vector<Evidence>> evidence_of(int64_t application_id) {
    (void)application_id;
    return unsupported("evidence_of");
  }
  virtual Result<std::optional<Evidence>> get_evidence(int64_t id) {
    (void)id;
    return unsupported("get_evidence");
  }
  virtual Result<void> remove_evidence(int64_t id, int64_t now_ms) {
    (void)id, (void)now_ms;
    return unsupported("remove_evidence");
  }

  // Policy notices. The new notice's id.
  virtual Result<int64_t> add_notice(const Notice& notice) {
    (void)notice;
    return unsupported("add_notice");
  }
  virtual Result<std::optional<Notice>> get_notice(int64_t id) {
    (void)id;
    return unsupported("get_notice");
  }
  // The notices of the counties under `path` or above it, newest first, at
  // most `limit`; withdrawn ones only with `with_withdrawn`.
  virtual Result<std::vector<Notice>> notices_for(std::string_view path, bool with_withdrawn, int64_t limit) {
    (void)path, (void)with_withdrawn, (void)limit;
    return unsupported("notices_for");
  }
  // NOT_FOUND when it is withdrawn already.
  virtual Result<void> withdraw_notice(int64_t id, int64_t now_ms) {
    (void)id, (void)now_ms;
    return unsupported("withdraw_notice");
  }

  // --- the school's review (cycle_records.h) ---------------------------------
  // Replaces the school's panel for the cycle.
  virtual Result<void> set_panel(int64_t cycle_id, int64_t school_id, const std::vector<int64_t>& user_ids,
                                 int64_t added_by, int64_t now_ms) {
    (void)cycle_id, (void)school_id, (void)user_ids, (void)added_by, (void)now_ms;
    return unsupported("set_panel");
  }
  virtual Result<std::vector<PanelMember>> panel(int64_t cycle_id, int64_t school_id) {
    (void)cycle_id, (void)school_id;
    return unsupported("panel");
  }
  // Casts or changes a member's vote.
  virtual Result<void> put_vote(int64_t cycle_id, const ReviewVote& vote) {
    (void)cycle_id, (void)vote;
    return unsupported("put_vote");
  }
  virtual Result<std::vector<ReviewVote>> votes(int64_t cycle_id, int64_t student_id) {
    (void)cycle_id, (void)student_id;
    return unsupported("votes");
  }
  // A second decision for a student is CONFLICT.
  virtual Result<void> add_decision(const ReviewDecision& decision) {
    (void)decision;
    return unsupported("add_decision");
  }
  virtual Result<std::optional<ReviewDecision>> decision(int64_t cycle_id, int64_t student_id) {
    (void)cycle_id, (void)student_id;
    return unsupported("decision");
  }
  virtual Result<std::vector<ReviewDecision>> school_decisions(int64_t cycle_id, int64_t school_id) {
    (void)cycle_id, (void)school_id;
    return unsupported("school_decisions");
  }
  // A second resolution of the same flag is CONFLICT.
  virtual Result<void> add_flag_resolution(int64_t cycle_id, const FlagResolution& resolution) {
    (void)cycle_id, (void)resolution;
    return unsupported("add_flag_resolution");
  }
  virtual Result<std::vector<FlagResolution>> flag_resolutions(int64_t cycle_id, int64_t student_id) {
    (void)cycle_id, (void)student_id;
    return unsupported("flag_resolutions");
  }
  // The newest run covering the school (a run of the school or of its
  // county) and its row for the student.
  virtual Result<std::optional<IdentificationResult>> latest_result(int64_t cycle_id, int64_t school_id,
                                                                    int64_t student_id, int64_t* run_id) {
    (void)cycle_id, (void)school_id, (void)student_id, (void)run_id;
    return unsupported("latest_result");
  }

  // A school's list after its review (migration 10).
  virtual Result<std::optional<SchoolListState>> school_list_state(int64_t /*cycle_id*/, int64_t /*school_id*/) {
    return unsupported("school_list_state");
  }
  virtual Result<std::vector<SchoolListState>> school_list_states(int64_t /*cycle_id*/) { return unsupported("school_list_states"); }
  virtual Result<void> put_school_list_state(const SchoolListState& /*stage*/) { return unsupported("put_school_list_state"); }
  virtual Result<int64_t> add_list_change(const ListChange& /*change*/) { return unsupported("add_list_change"); }
  // A panel member's vote on changing the student's entry `basis` (migration 12).
  virtual Result<void> put_change_vote(int64_t /*cycle_id*/, std::string_view /*basis*/, const ReviewVote& /*vote*/) {
    return unsupported("put_change_vote");
  }
  virtual Result<std::vector<ReviewVote>> change_votes(int64_t /*cycle_id*/, int64_t /*student_id*/,
                                                       std::string_view /*basis*/) {
    return unsupported("change_votes");
  }
  // In the order made.
  virtual Result<std::vector<ListChange>> list_changes(int64_t /*cycle_id*/, int64_t /*school_id*/) {
    return unsupported("list_changes");
  }
  virtual Result<int64_t> add_announcement(const Announcement& /*announcement*/) {
    return unsupported("add_announcement");
  }
  virtual Result<std::optional<Announcement>> get_announcement(int64_t /*id*/) { return unsupported("get_announcement"); }
  // A school's, oldest first.
  virtual Result<std::vector<Announcement>> announcements_of(int64_t /*cycle_id*/, int64_t /*school_id*/) {
    return unsupported("announcements_of");
  }
  // Running on `today` (starts_on <= today <= ends_on) at schools under `path`.
  virtual Result<std::vector<Announcement>> running_announcements(std::string_view /*path*/, std::string_view /*today*/, int64_t /*limit*/) {
    return unsupported("running_announcements");
  }
  virtual Result<int64_t> add_objection(const Objection& /*objection*/) { return unsupported("add_objection"); }
  virtual Result<std::optional<Objection>> get_objection(int64_t /*id*/) { return unsupported("get_objection"); }
  virtual Result<std::optional<Objection>> find_objection_by_receipt(std::string_view /*receipt_hash*/) {
    return unsupported("find_objection_by_receipt");
  }
  // Writes the answer, appeal and decision fields and the state.
  virtual Result<void> update_objection(const Objection& /*objection*/) { return unsupported("update_objection"); }
  // A school's (school_id set) or the whole cycle's, oldest first.
  virtual Result<std::vector<Objection>> objections_of(int64_t /*cycle_id*/, std::optional<int64_t> /*school_id*/) {
    return unsupported("objections_of");
  }
  virtual Result<int64_t> add_filing(const Filing& /*filing*/) { return unsupported("add_filing"); }
  virtual Result<std::optional<Filing>> get_filing(int64_t /*id*/) { return unsupported("get_filing"); }
  // A school's (school_id set) or the whole cycle's, oldest first.
  virtual Result<std::vector<Filing>> filings_of(int64_t /*cycle_id*/, std::optional<int64_t> /*school_id*/) {
    return unsupported("filings_of");
  }
  // SUBMITTED -> APPROVED or RETURNED, once.
  virtual Result<void> decide_filing(int64_t /*id*/, std::string_view /*state*/, int64_t /*by*/, int64_t /*at_ms*/, const std::optional<std::string>& /*reason*/) {
    return unsupported("decide_filing");
  }

  // --- follow-up and feedback (followup_records.h, migration 11) --------------
  // Scope, state and who may do what are app/'s (followups.cc, feedback.cc).

  // The new record's id. Records are never changed or removed.
  virtual Result<int64_t> add_followup(const FollowupRecord& record) {
    (void)record;
    return unsupported("add_followup");
  }
  // The cycle's records of the schools under `path` that match `filter`,
  // newest first (happened_on, then id), paged as students_page.
  virtual Result<Page<FollowupRecord>> followups_page(int64_t cycle_id, std::string_view path,
                                                      const FollowupFilter& filter, int64_t offset, int64_t limit) {
    (void)cycle_id, (void)path, (void)filter, (void)offset, (void)limit;
    return unsupported("followups_page");
  }
  // The students of the school with at least one record in the term, in id order.
  virtual Result<std::vector<int64_t>> followed_up_students(int64_t cycle_id, int64_t school_id, int term) {
    (void)cycle_id, (void)school_id, (void)term;
    return unsupported("followed_up_students");
  }

  // The new item's id; a receipt hash used before is CONFLICT.
  virtual Result<int64_t> add_feedback(const Feedback& feedback) {
    (void)feedback;
    return unsupported("add_feedback");
  }
  virtual Result<std::optional<Feedback>> get_feedback(int64_t id) {
    (void)id;
    return unsupported("get_feedback");
  }
  virtual Result<std::optional<Feedback>> find_feedback_by_receipt(std::string_view receipt_hash) {
    (void)receipt_hash;
    return unsupported("find_feedback_by_receipt");
  }
  // Writes the owner, status and answer fields and updated_at_ms of the item
  // `feedback.id`, if it is still in `from` (NOT_FOUND otherwise: another
  // request moved it first).
  virtual Result<void> update_feedback(const Feedback& feedback, FeedbackStatus from) {
    (void)feedback, (void)from;
    return unsupported("update_feedback");
  }
  // Items whose school (or, without one, county) is under `path` and that
  // match `filter`, newest first, paged as students_page.
  virtual Result<Page<Feedback>> feedback_page(std::string_view path, const FeedbackFilter& filter, int64_t offset,
                                               int64_t limit) {
    (void)path, (void)filter, (void)offset, (void)limit;
    return unsupported("feedback_page");
  }
  // A guardian account's own items, newest first, at most `limit`.
  virtual Result<std::vector<Feedback>> feedback_of_guardian(int64_t guardian_user_id, int64_t limit) {
    (void)guardian_user_id, (void)limit;
    return unsupported("feedback_of_guardian");
  }

  // --- users ------------------------------------------------------------------
  // User names are ASCII and lower case: create_user refuses anything else,
  // find_user_by_username folds ASCII upper case first. Users are never
  // deleted (the audit log and the login log name them); they are disabled.

  // Inserts the user and its roles (one transaction); the new id. A taken
  // name is CONFLICT.
  virtual Result<int64_t> create_user(const UserInput& user) {
    (void)user;
    return unsupported("create_user");
  }
  virtual Result<std::optional<User>> find_user_by_username(std::string_view username) {
    (void)username;
    return unsupported("find_user_by_username");
  }
  virtual Result<std::optional<User>> get_user(int64_t id) {
    (void)id;
    return unsupported("get_user");
  }
  // Users whose org node is under `path`, in user-name order, paged as
  // students_page.
  virtual Result<Page<User>> list_users(std::string_view path, const UserFilter& filter, int64_t offset,
                                        int64_t limit) {
    (void)path, (void)filter, (void)offset, (void)limit;
    return unsupported("list_users");
  }
  virtual Result<int64_t> count_users() { return unsupported("count_users"); }
  // The updates below answer NOT_FOUND for an unknown user id.
  virtual Result<void> set_password(int64_t user_id, std::string_view password_hash, bool must_change,
                                    int64_t changed_at_ms) {
    (void)user_id, (void)password_hash, (void)must_change, (void)changed_at_ms;
    return unsupported("set_password");
  }
  virtual Result<void> set_user_disabled(int64_t user_id, bool disabled) {
    (void)user_id, (void)disabled;
    return unsupported("set_user_disabled");
  }
  // Replaces the user's roles with `roles` (one transaction).
  virtual Result<void> set_user_roles(int64_t user_id, const std::vector<std::string>& roles) {
    (void)user_id, (void)roles;
    return unsupported("set_user_roles");
  }
  // Stores the sealed secret; `enabled` once the user confirmed a code. A new
  // secret forgets the last used step.
  virtual Result<void> set_totp(int64_t user_id, std::string_view sealed_secret, bool enabled) {
    (void)user_id, (void)sealed_secret, (void)enabled;
    return unsupported("set_totp");
  }
  // Removes the secret, the last step and the recovery codes (an
  // administrator's reset of a lost phone).
  virtual Result<void> clear_totp(int64_t user_id) {
    (void)user_id;
    return unsupported("clear_totp");
  }
  virtual Result<void> set_totp_last_step(int64_t user_id, int64_t step) {
    (void)user_id, (void)step;
    return unsupported("set_totp_last_step");
  }
  // Sets the lock (empty: none) and restarts the failure count: the user's
  // failures_after_event_id becomes the newest login_event id, so failures
  // logged so far stop counting towards the next lock. Called on a lock, an
  // unlock and a successful login (app/auth.cc).
  virtual Result<void> set_lockout(int64_t user_id, std::optional<int64_t> locked_until_ms) {
    (void)user_id, (void)locked_until_ms;
    return unsupported("set_lockout");
  }

  // --- recovery codes -----------------------------------------------------------
  // The user's codes become exactly `code_hashes` (one transaction).
  virtual Result<void> replace_recovery_codes(int64_t user_id, const std::vector<std::string>& code_hashes) {
    (void)user_id, (void)code_hashes;
    return unsupported("replace_recovery_codes");
  }
  // Marks the unused code with this hash used; false when there is none.
  virtual Result<bool> consume_recovery_code(int64_t user_id, std::string_view code_hash, int64_t at_ms) {
    (void)user_id, (void)code_hash, (void)at_ms;
    return unsupported("consume_recovery_code");
  }
  virtual Result<int64_t> count_unused_recovery_codes(int64_t user_id) {
    (void)user_id;
    return unsupported("count_unused_recovery_codes");
  }

  // --- sessions -----------------------------------------------------------------
  virtual Result<void> create_session(const SessionRecord& session) {
    (void)session;
    return unsupported("create_session");
  }
  // Ended sessions too (ended_at_ms set): the caller decides.
  virtual Result<std::optional<SessionRecord>> find_session(std::string_view token_hash) {
    (void)token_hash;
    return unsupported("find_session");
  }
  // Moves last_seen forward (never back) on an open session. The application
  // calls it at most once a minute per session.
  virtual Result<void> touch_session(std::string_view token_hash, int64_t at_ms) {
    (void)token_hash, (void)at_ms;
    return unsupported("touch_session");
  }
  virtual Result<void> set_session_second_factor(std::string_view token_hash) {
    (void)token_hash;
    return unsupported("set_session_second_factor");
  }
  // Ends an open session (an ended one keeps its first end). False when there
  // was no open session with this hash.
  virtual Result<bool> end_session(std::string_view token_hash, int64_t at_ms, std::string_view reason) {
    (void)token_hash, (void)at_ms, (void)reason;
    return unsupported("end_session");
  }
  // Ends every open session of the user except `keep_token_hash` (empty: all);
  // the number ended.
  virtual Result<int64_t> end_user_sessions(int64_t user_id, int64_t at_ms, std::string_view reason,
                                            std::string_view keep_token_hash) {
    (void)user_id, (void)at_ms, (void)reason, (void)keep_token_hash;
    return unsupported("end_user_sessions");
  }

  // Deletes sessions created before `created_before_ms` (the caller passes a
  // time by which every such session has expired, plus a grace period), at
  // most `limit` (1..10000) of them, ended or not. Returns their token hashes,
  // so that the caller can drop them from its cache.
  virtual Result<std::vector<std::string>> delete_sessions_created_before(int64_t created_before_ms, int64_t limit) {
    (void)created_before_ms, (void)limit;
    return unsupported("delete_sessions_created_before");
  }

  // --- the login log ------------------------------------------------------------
  // The new event's id. Username and user agent are cut to their bounds.
  virtual Result<int64_t> append_login_event(const LoginEvent& event) {
    (void)event;
    return unsupported("append_login_event");
  }
  // The user's failures (bad_password, bad_totp) at or after since_ms whose
  // id is above after_event_id (User::failures_after_event_id).
  virtual Result<int64_t> count_login_failures(int64_t user_id, int64_t since_ms, int64_t after_event_id) {
    (void)user_id, (void)since_ms, (void)after_event_id;
    return unsupported("count_login_failures");
  }
  // Newest first. Under a scope other than "/", only events of known users
  // whose org node is under `path` (an unknown name belongs to no one).
  virtual Result<Page<LoginEvent>> login_events_page(std::string_view path, const LoginEventFilter& filter,
                                                     int64_t offset, int64_t limit) {
    (void)path, (void)filter, (void)offset, (void)limit;
    return unsupported("login_events_page");
  }

  // --- API tokens -----------------------------------------------------------------
  virtual Result<int64_t> create_api_token(const ApiTokenInput& token) {
    (void)token;
    return unsupported("create_api_token");
  }
  virtual Result<std::optional<ApiToken>> find_api_token(std::string_view token_hash) {
    (void)token_hash;
    return unsupported("find_api_token");
  }
  virtual Result<std::optional<ApiToken>> get_api_token(int64_t id) {
    (void)id;
    return unsupported("get_api_token");
  }
  // Tokens whose org node is under `path`, in id order (a few per county).
  virtual Result<std::vector<ApiToken>> list_api_tokens(std::string_view path) {
    (void)path;
    return unsupported("list_api_tokens");
  }
  // False when it was revoked already (the first revocation time stays).
  virtual Result<bool> revoke_api_token(int64_t id, int64_t at_ms) {
    (void)id, (void)at_ms;
    return unsupported("revoke_api_token");
  }
  virtual Result<void> touch_api_token(int64_t id, int64_t at_ms) {
    (void)id, (void)at_ms;
    return unsupported("touch_api_token");
  }

  // --- the audit log ----------------------------------------------------------------
  // Raw access for oversight/audit_chain, which computes seq and the MACs and
  // serialises appends: call these inside a write transaction. The log is
  // append-only: no operation updates or deletes a record.
  virtual Result<void> append_audit(const AuditRecord& record) {
    (void)record;
    return unsupported("append_audit");
  }
  // The record with the highest seq.
  virtual Result<std::optional<AuditRecord>> last_audit() { return unsupported("last_audit"); }
  // Inside a write transaction. A backend without a database-wide write lock
  // must lock the row here (PostgreSQL: SELECT ... FOR UPDATE), so that two
  // appends cannot both read the same head.
  virtual Result<std::optional<AuditHead>> audit_head() { return unsupported("audit_head"); }
  virtual Result<void> set_audit_head(const AuditHead& head) {
    (void)head;
    return unsupported("set_audit_head");
  }
  // Up to `limit` records with seq > after_seq, in seq order: the chain walk
  // reads the log in such slices, so its memory stays bounded.
  virtual Result<std::vector<AuditRecord>> audit_range(int64_t after_seq, int64_t limit) {
    (void)after_seq, (void)limit;
    return unsupported("audit_range");
  }
  // The seq of a record with this mac (a full scan: for the diagnosis of a
  // broken chain only).
  virtual Result<std::optional<int64_t>> audit_seq_with_mac(std::string_view mac) {
    (void)mac;
    return unsupported("audit_seq_with_mac");
  }
  // The auditor's query, newest first, paged. Under a scope other than "/",
  // only records whose org_path is under `path`.
  virtual Result<Page<AuditRecord>> audit_page(std::string_view path, const AuditFilter& filter, int64_t offset,
                                               int64_t limit) {
    (void)path, (void)filter, (void)offset, (void)limit;
    return unsupported("audit_page");
  }

  // --- the ledger (migration 13; docs/ledger.md) ------------------------------------
  // Raw access for funds/ledger_service, which decides what is accepted (the
  // rules live in funds/ledger.h only) and wraps load -> apply -> write in one
  // write transaction. Transfers are never updated or deleted (triggers).
  // CONFLICT when an account with this id exists.
  virtual Result<void> create_ledger_account(const LedgerAccount& account) {
    (void)account;
    return unsupported("create_ledger_account");
  }
  // The accounts with these ids that exist, in no particular order.
  virtual Result<std::vector<LedgerAccount>> ledger_accounts(const std::vector<int64_t>& ids) {
    (void)ids;
    return unsupported("ledger_accounts");
  }
  // The transfers with these ids that exist, in no particular order.
  virtual Result<std::vector<LedgerTransfer>> ledger_transfers(const std::vector<int64_t>& ids) {
    (void)ids;
    return unsupported("ledger_transfers");
  }
  // The post/void transfers that resolve any of these pending transfers.
  virtual Result<std::vector<LedgerTransfer>> ledger_resolutions(const std::vector<int64_t>& pending_ids) {
    (void)pending_ids;
    return unsupported("ledger_resolutions");
  }
  // The corrections of any of these transfers.
  virtual Result<std::vector<LedgerTransfer>> ledger_corrections(const std::vector<int64_t>& corrected_ids) {
    (void)corrected_ids;
    return unsupported("ledger_corrections");
  }
  // Appends accepted transfers (in order; the store sets seq).
  virtual Result<void> insert_ledger_transfers(const std::vector<LedgerTransfer>& transfers) {
    (void)transfers;
    return unsupported("insert_ledger_transfers");
  }
  // Writes the four balances of each account (the rest of the row never changes).
  virtual Result<void> update_ledger_balances(const std::vector<LedgerAccount>& accounts) {
    (void)accounts;
    return unsupported("update_ledger_balances");
  }
  // Up to `limit` accounts with id > after_id, in id order (for the check).
  virtual Result<std::vector<LedgerAccount>> ledger_accounts_after(int64_t after_id, int64_t limit) {
    (void)after_id, (void)limit;
    return unsupported("ledger_accounts_after");
  }
  // Up to `limit` transfers with seq > after_seq, in seq order (for the check).
  virtual Result<std::vector<LedgerTransfer>> ledger_transfers_after(int64_t after_seq, int64_t limit) {
    (void)after_seq, (void)limit;
    return unsupported("ledger_transfers_after");
  }

  // --- paying (payment_records.h, migration 14; docs/payments.md) -------------------
  // Raw reads and writes; who may do what, and the ledger transfers that go
  // with each step, are app/payments.cc's. Call the writes inside a write
  // transaction with the transfers they belong to.
  virtual Result<int64_t> add_payment_batch(const PaymentBatchRecord& batch) {
    (void)batch;
    return unsupported("add_payment_batch");
  }
  virtual Result<std::optional<PaymentBatchRecord>> get_payment_batch(int64_t id) {
    (void)id;
    return unsupported("get_payment_batch");
  }
  // The batches of a cycle, newest first.
  virtual Result<std::vector<PaymentBatchRecord>> payment_batches(int64_t cycle_id) {
    (void)cycle_id;
    return unsupported("payment_batches");
  }
  // Writes state, approved_by/at and closed_at (the rest never changes: trigger).
  virtual Result<void> update_payment_batch(const PaymentBatchRecord& batch) {
    (void)batch;
    return unsupported("update_payment_batch");
  }
  // Inserts the lines (their ids are set in `lines`). CONFLICT when a student
  // has a live line for the term already (payment_line_once).
  virtual Result<void> add_payment_lines(std::vector<PaymentLineRecord>& lines) {
    (void)lines;
    return unsupported("add_payment_lines");
  }
  // A batch's lines in id order.
  virtual Result<std::vector<PaymentLineRecord>> payment_lines(int64_t batch_id) {
    (void)batch_id;
    return unsupported("payment_lines");
  }
  // Every line of a cycle and term (all batches), in id order.
  virtual Result<std::vector<PaymentLineRecord>> payment_lines_of_term(int64_t cycle_id, int term) {
    (void)cycle_id, (void)term;
    return unsupported("payment_lines_of_term");
  }
  // Up to `limit` lines with id > after_id, in id order (for the ledger check).
  virtual Result<std::vector<PaymentLineRecord>> payment_lines_after(int64_t after_id, int64_t limit) {
    (void)after_id, (void)limit;
    return unsupported("payment_lines_after");
  }
  // Writes status, reason, bank_ref, processed_on, settled_by/at.
  virtual Result<void> update_payment_line(const PaymentLineRecord& line) {
    (void)line;
    return unsupported("update_payment_line");
  }
  // Per source (the payment transfers' `source`): the amount of payment
  // transfers (pending, not voided) debited from accounts of organisation
  // nodes under `path`.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> payment_use_by_source(std::string_view path) {
    (void)path;
    return unsupported("payment_use_by_source");
  }
  virtual Result<int64_t> add_bank_card_change(const BankCardChange& change) {
    (void)change;
    return unsupported("add_bank_card_change");
  }
  // The newest change of each of these students at or after `since_ms`.
  virtual Result<std::vector<BankCardChange>> bank_card_changes_since(const std::vector<int64_t>& student_ids,
                                                                      int64_t since_ms) {
    (void)student_ids, (void)since_ms;
    return unsupported("bank_card_changes_since");
  }

  // --- fund-use publication and audit report (fund_report_records.h, migration 15) ----
  // docs/funds.md "Fund-use publication and audit report". Raw reads and
  // writes; who may, and what the figures mean, are app/fund_reports.cc's.
  // Inserts a publication as given (content and its SM3 computed by the caller).
  virtual Result<int64_t> add_fund_publication(const FundPublication& publication) {
    (void)publication;
    return unsupported("add_fund_publication");
  }
  virtual Result<std::optional<FundPublication>> get_fund_publication(int64_t id) {
    (void)id;
    return unsupported("get_fund_publication");
  }
  // The publications of counties under `path` ("" or "/": all), of one cycle
  // when given, newest first, at most `limit`.
  virtual Result<std::vector<FundPublication>> fund_publications(std::string_view path,
                                                                 std::optional<int64_t> cycle_id, int64_t limit) {
    (void)path, (void)cycle_id, (void)limit;
    return unsupported("fund_publications");
  }
  // Transfers touching an account of a node under `path`, accepted in
  // [from_ms, to_ms), grouped (TransferSum). With `cycle_id`: only those whose
  // effective cycle is that one or none (has_cycle tells which).
  virtual Result<std::vector<TransferSum>> fund_transfer_sums(std::string_view path, std::optional<int64_t> cycle_id,
                                                              int64_t from_ms, int64_t to_ms) {
    (void)path, (void)cycle_id, (void)from_ms, (void)to_ms;
    return unsupported("fund_transfer_sums");
  }
  // Every ledger account of a node under `path` with its posted movements
  // before `from_ms` and in [from_ms, to_ms), in account id order.
  virtual Result<std::vector<AccountMovement>> fund_account_movements(std::string_view path, int64_t from_ms,
                                                                      int64_t to_ms) {
    (void)path, (void)from_ms, (void)to_ms;
    return unsupported("fund_account_movements");
  }
  // Paid lines of a cycle per school and level (and level 0: per school), by
  // school code then level.
  virtual Result<std::vector<PaidBySchoolLevel>> paid_by_school_level(int64_t cycle_id) {
    (void)cycle_id;
    return unsupported("paid_by_school_level");
  }
  // The county's payment lines whose batch was approved in [from_ms, to_ms)
  // or that were settled in it, in batch then line order; BAD_VALUE (too
  // many) beyond `limit`.
  virtual Result<std::vector<AuditPaymentRow>> audit_payment_rows(int64_t county_id, int64_t from_ms, int64_t to_ms,
                                                                  int64_t limit) {
    (void)county_id, (void)from_ms, (void)to_ms, (void)limit;
    return unsupported("audit_payment_rows");
  }
  // The transfers of `code` (receipt, allocation) whose credit account
  // (receipt) or debit account (allocation) belongs to a node under `path`,
  // of `cycle_id` when given, newest first: `limit` from `offset`, and the
  // total.
  virtual Result<FundTransferPage> fund_transfer_page(std::string_view path, std::string_view code,
                                                      std::optional<int64_t> cycle_id, int64_t offset,
                                                      int64_t limit) {
    (void)path, (void)code, (void)cycle_id, (void)offset, (void)limit;
    return unsupported("fund_transfer_page");
  }
  // The transfers touching accounts under `path` accepted in [from_ms, to_ms),
  // in arrival order; BAD_VALUE (too many) beyond `limit`.
  virtual Result<std::vector<AuditTransferRow>> audit_transfer_rows(std::string_view path, int64_t from_ms,
                                                                    int64_t to_ms, int64_t limit) {
    (void)path, (void)from_ms, (void)to_ms, (void)limit;
    return unsupported("audit_transfer_rows");
  }
};

// Rolls back on destruction unless commit() succeeded, so an early return or
// an error anywhere leaves the database as it was.
class Transaction {
 public:
  static Result<Transaction> begin(Store& store);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(Store* store) : store_(store) {}
  Store* store_;  // null once committed or moved from
};

}  // namespace zizhu::store
