// The SQLite implementation of Store: one file, WAL journal, foreign keys on,
// a busy timeout, prepared statements cached per connection, migrations
// applied at open.
#pragma once

#include <memory>
#include <string>

#include "store/sensitive.h"
#include "store/sqlite/db.h"
#include "store/store.h"

namespace zizhu::store::sqlite {

struct SqliteOptions {
  // How long a writer waits for another process's lock before SQLITE_BUSY.
  int busy_timeout_ms = 5000;
  // The one place sensitive values are encoded; null means identity_codec().
  const SensitiveCodec* codec = nullptr;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path` (":memory:" for a private
  // in-memory one), sets the pragmas and applies the missing migrations.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, SqliteOptions options = {});

  Result<void> begin() override;
  Result<void> commit() override;
  Result<void> rollback() override;
  bool in_transaction() const override;
  Result<void> begin_read() override;
  int schema_version() const override { return schema_version_; }

  Result<Upserted> upsert_org_node(const OrgNodeInput& node) override;
  Result<std::optional<OrgNode>> find_org_node(std::string_view code) override;
  Result<std::optional<OrgNode>> get_org_node(int64_t id) override;
  Result<std::vector<OrgNode>> org_subtree(std::string_view path) override;

  Result<Upserted> upsert_school(const SchoolInput& school) override;
  Result<std::optional<School>> find_school(std::string_view school_code) override;
  Result<std::vector<School>> schools_under(std::string_view path) override;

  Result<Upserted> upsert_guardian(const GuardianInput& guardian) override;
  Result<std::optional<Guardian>> find_guardian(const SensitiveText& id_number) override;

  Result<Upserted> upsert_student(const StudentInput& student) override;
  Result<std::optional<Student>> find_student(const SensitiveText& student_no) override;
  Result<std::vector<Student>> students_under(std::string_view path) override;
  Result<int64_t> count_students() override;

  // students_repo.cc
  Result<Page<StudentListing>> students_page(std::string_view path, const StudentFilter& filter, int64_t offset,
                                      int64_t limit) override;
  Result<std::optional<Student>> get_student(int64_t id) override;
  Result<std::optional<StudentListing>> get_student_listing(int64_t id) override;
  Result<std::vector<StudentListing>> students_of_guardian(int64_t guardian_id) override;

  Result<int64_t> create_cycle(const CycleInput& cycle) override;
  Result<std::optional<Cycle>> get_cycle(int64_t id) override;
  Result<std::vector<Cycle>> cycles_for(std::string_view path) override;
  Result<void> set_cycle_state(int64_t id, CycleState from, CycleState to, int64_t now_ms) override;
  Result<void> set_cycle_dates(int64_t id, std::optional<Date> open_on, std::optional<Date> close_on,
                               int64_t now_ms) override;
  Result<int> add_policy_version(const PolicyVersion& policy) override;
  Result<std::vector<PolicyVersion>> policy_versions(int64_t cycle_id) override;
  Result<void> set_budgets(int64_t cycle_id, const std::vector<SchoolBudget>& budgets) override;
  Result<std::vector<SchoolBudget>> budgets(int64_t cycle_id) override;
  Result<int64_t> add_dept_list(const DeptListImportInput& import,
                                const std::vector<DeptListEntryInput>& entries) override;
  Result<std::vector<DeptListImport>> dept_list_imports(int64_t cycle_id) override;
  Result<std::vector<DeptListEntryInput>> dept_list_entries_for(int64_t cycle_id,
                                                                const SensitiveText& id_number) override;
  Result<int64_t> create_application(const ApplicationInput& application) override;
  Result<std::optional<Application>> get_application(int64_t id) override;
  Result<std::optional<Application>> find_application(int64_t cycle_id, int64_t student_id) override;
  Result<void> update_application(int64_t id, const FamilyData& family, ApplicationState state,
                                  int64_t submitted_by, int64_t now_ms) override;
  Result<std::vector<RosterRow>> identification_roster(std::string_view path) override;
  Result<std::vector<DeptListEntryInput>> dept_list_entries(int64_t cycle_id) override;
  Result<std::vector<Application>> submitted_applications(int64_t cycle_id, std::string_view path) override;
  Result<int64_t> add_identification_run(const IdentificationRunInput& run,
                                         const std::vector<IdentificationResult>& results) override;
  Result<std::vector<IdentificationRun>> identification_runs(int64_t cycle_id) override;
  Result<Page<IdentificationResult>> identification_results(int64_t run_id, std::string_view path,
                                                            bool with_unplaced, const ResultFilter& filter,
                                                            int64_t offset, int64_t limit) override;
  Result<int64_t> add_evidence(const Evidence& evidence) override;
  Result<std::vector<Evidence>> evidence_of(int64_t application_id) override;
  Result<std::optional<Evidence>> get_evidence(int64_t id) override;
  Result<void> remove_evidence(int64_t id, int64_t now_ms) override;
  Result<int64_t> add_notice(const Notice& notice) override;
  Result<std::optional<Notice>> get_notice(int64_t id) override;
  Result<std::vector<Notice>> notices_for(std::string_view path, bool with_withdrawn, int64_t limit) override;
  Result<void> withdraw_notice(int64_t id, int64_t now_ms) override;
  Result<void> set_panel(int64_t cycle_id, int64_t school_id, const std::vector<int64_t>& user_ids, int64_t added_by,
                         int64_t now_ms) override;
  Result<std::vector<PanelMember>> panel(int64_t cycle_id, int64_t school_id) override;
  Result<void> put_vote(int64_t cycle_id, const ReviewVote& vote) override;
  Result<std::vector<ReviewVote>> votes(int64_t cycle_id, int64_t student_id) override;
  Result<void> add_decision(const ReviewDecision& decision) override;
  Result<std::optional<ReviewDecision>> decision(int64_t cycle_id, int64_t student_id) override;
  Result<std::vector<ReviewDecision>> school_decisions(int64_t cycle_id, int64_t school_id) override;
  Result<void> add_flag_resolution(int64_t cycle_id, const FlagResolution& resolution) override;
  Result<std::vector<FlagResolution>> flag_resolutions(int64_t cycle_id, int64_t student_id) override;
  Result<std::optional<IdentificationResult>> latest_result(int64_t cycle_id, int64_t school_id, int64_t student_id,
                                                            int64_t* run_id) override;

  // school_list_repo.cc
  Result<std::optional<SchoolListState>> school_list_state(int64_t cycle_id, int64_t school_id) override;
  Result<std::vector<SchoolListState>> school_list_states(int64_t cycle_id) override;
  Result<void> put_school_list_state(const SchoolListState& stage) override;
  Result<int64_t> add_list_change(const ListChange& change) override;
  Result<void> put_change_vote(int64_t cycle_id, std::string_view basis, const ReviewVote& vote) override;
  Result<std::vector<ReviewVote>> change_votes(int64_t cycle_id, int64_t student_id, std::string_view basis) override;
  Result<std::vector<ListChange>> list_changes(int64_t cycle_id, int64_t school_id) override;
  Result<int64_t> add_announcement(const Announcement& announcement) override;
  Result<std::optional<Announcement>> get_announcement(int64_t id) override;
  Result<std::vector<Announcement>> announcements_of(int64_t cycle_id, int64_t school_id) override;
  Result<std::vector<Announcement>> running_announcements(std::string_view path, std::string_view today,
                                                          int64_t limit) override;
  Result<int64_t> add_objection(const Objection& objection) override;
  Result<std::optional<Objection>> get_objection(int64_t id) override;
  Result<std::optional<Objection>> find_objection_by_receipt(std::string_view receipt_hash) override;
  Result<void> update_objection(const Objection& objection) override;
  Result<std::vector<Objection>> objections_of(int64_t cycle_id, std::optional<int64_t> school_id) override;
  Result<int64_t> add_filing(const Filing& filing) override;
  Result<std::optional<Filing>> get_filing(int64_t id) override;
  Result<std::vector<Filing>> filings_of(int64_t cycle_id, std::optional<int64_t> school_id) override;
  Result<void> decide_filing(int64_t id, std::string_view state, int64_t by, int64_t at_ms,
                             const std::optional<std::string>& reason) override;
  Result<Page<Application>> applications_page(int64_t cycle_id, std::string_view path,
                                              const ApplicationFilter& filter, int64_t offset,
                                              int64_t limit) override;

  // followups_repo.cc, feedback_repo.cc (migration 11)
  Result<int64_t> add_followup(const FollowupRecord& record) override;
  Result<Page<FollowupRecord>> followups_page(int64_t cycle_id, std::string_view path, const FollowupFilter& filter,
                                              int64_t offset, int64_t limit) override;
  Result<std::vector<int64_t>> followed_up_students(int64_t cycle_id, int64_t school_id, int term) override;
  Result<int64_t> add_feedback(const Feedback& feedback) override;
  Result<std::optional<Feedback>> get_feedback(int64_t id) override;
  Result<std::optional<Feedback>> find_feedback_by_receipt(std::string_view receipt_hash) override;
  Result<void> update_feedback(const Feedback& feedback, FeedbackStatus from) override;
  Result<Page<Feedback>> feedback_page(std::string_view path, const FeedbackFilter& filter, int64_t offset,
                                       int64_t limit) override;
  Result<std::vector<Feedback>> feedback_of_guardian(int64_t guardian_user_id, int64_t limit) override;

  // users_repo.cc
  Result<int64_t> create_user(const UserInput& user) override;
  Result<std::optional<User>> find_user_by_username(std::string_view username) override;
  Result<std::optional<User>> get_user(int64_t id) override;
  Result<Page<User>> list_users(std::string_view path, const UserFilter& filter, int64_t offset,
                                int64_t limit) override;
  Result<int64_t> count_users() override;
  Result<void> set_password(int64_t user_id, std::string_view password_hash, bool must_change,
                            int64_t changed_at_ms) override;
  Result<void> set_user_disabled(int64_t user_id, bool disabled) override;
  Result<void> set_user_roles(int64_t user_id, const std::vector<std::string>& roles) override;
  Result<void> set_totp(int64_t user_id, std::string_view sealed_secret, bool enabled) override;
  Result<void> clear_totp(int64_t user_id) override;
  Result<void> set_totp_last_step(int64_t user_id, int64_t step) override;
  Result<void> set_lockout(int64_t user_id, std::optional<int64_t> locked_until_ms) override;
  Result<void> replace_recovery_codes(int64_t user_id, const std::vector<std::string>& code_hashes) override;
  Result<bool> consume_recovery_code(int64_t user_id, std::string_view code_hash, int64_t at_ms) override;
  Result<int64_t> count_unused_recovery_codes(int64_t user_id) override;

  // sessions_repo.cc: sessions, the login log, API tokens
  Result<void> create_session(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> find_session(std::string_view token_hash) override;
  Result<void> touch_session(std::string_view token_hash, int64_t at_ms) override;
  Result<void> set_session_second_factor(std::string_view token_hash) override;
  Result<bool> end_session(std::string_view token_hash, int64_t at_ms, std::string_view reason) override;
  Result<int64_t> end_user_sessions(int64_t user_id, int64_t at_ms, std::string_view reason,
                                    std::string_view keep_token_hash) override;
  Result<std::vector<std::string>> delete_sessions_created_before(int64_t created_before_ms, int64_t limit) override;
  Result<int64_t> append_login_event(const LoginEvent& event) override;
  Result<int64_t> count_login_failures(int64_t user_id, int64_t since_ms, int64_t after_event_id) override;
  Result<Page<LoginEvent>> login_events_page(std::string_view path, const LoginEventFilter& filter, int64_t offset,
                                             int64_t limit) override;
  Result<int64_t> create_api_token(const ApiTokenInput& token) override;
  Result<std::optional<ApiToken>> find_api_token(std::string_view token_hash) override;
  Result<std::optional<ApiToken>> get_api_token(int64_t id) override;
  Result<std::vector<ApiToken>> list_api_tokens(std::string_view path) override;
  Result<bool> revoke_api_token(int64_t id, int64_t at_ms) override;
  Result<void> touch_api_token(int64_t id, int64_t at_ms) override;

  // audit_repo.cc
  Result<void> append_audit(const AuditRecord& record) override;
  Result<std::optional<AuditRecord>> last_audit() override;
  Result<std::optional<AuditHead>> audit_head() override;
  Result<void> set_audit_head(const AuditHead& head) override;
  Result<std::vector<AuditRecord>> audit_range(int64_t after_seq, int64_t limit) override;
  Result<std::optional<int64_t>> audit_seq_with_mac(std::string_view mac) override;
  Result<Page<AuditRecord>> audit_page(std::string_view path, const AuditFilter& filter, int64_t offset,
                                       int64_t limit) override;

  // ledger_repo.cc (migration 13)
  Result<void> create_ledger_account(const LedgerAccount& account) override;
  Result<std::vector<LedgerAccount>> ledger_accounts(const std::vector<int64_t>& ids) override;
  Result<std::vector<LedgerTransfer>> ledger_transfers(const std::vector<int64_t>& ids) override;
  Result<std::vector<LedgerTransfer>> ledger_resolutions(const std::vector<int64_t>& pending_ids) override;
  Result<std::vector<LedgerTransfer>> ledger_corrections(const std::vector<int64_t>& corrected_ids) override;
  Result<void> insert_ledger_transfers(const std::vector<LedgerTransfer>& transfers) override;
  Result<void> update_ledger_balances(const std::vector<LedgerAccount>& accounts) override;
  Result<std::vector<LedgerAccount>> ledger_accounts_after(int64_t after_id, int64_t limit) override;
  Result<std::vector<LedgerTransfer>> ledger_transfers_after(int64_t after_seq, int64_t limit) override;

  // payments_repo.cc (migration 14)
  Result<int64_t> add_payment_batch(const PaymentBatchRecord& batch) override;
  Result<std::optional<PaymentBatchRecord>> get_payment_batch(int64_t id) override;
  Result<std::vector<PaymentBatchRecord>> payment_batches(int64_t cycle_id) override;
  Result<void> update_payment_batch(const PaymentBatchRecord& batch) override;
  Result<void> add_payment_lines(std::vector<PaymentLineRecord>& lines) override;
  Result<std::vector<PaymentLineRecord>> payment_lines(int64_t batch_id) override;
  Result<std::vector<PaymentLineRecord>> payment_lines_of_term(int64_t cycle_id, int term) override;
  Result<std::vector<PaymentLineRecord>> payment_lines_after(int64_t after_id, int64_t limit) override;
  Result<void> update_payment_line(const PaymentLineRecord& line) override;
  Result<std::vector<std::pair<std::string, int64_t>>> payment_use_by_source(std::string_view path) override;
  Result<int64_t> add_bank_card_change(const BankCardChange& change) override;
  Result<std::vector<BankCardChange>> bank_card_changes_since(const std::vector<int64_t>& student_ids,
                                                              int64_t since_ms) override;

  // fund_reports_repo.cc (migration 15)
  Result<int64_t> add_fund_publication(const FundPublication& publication) override;
  Result<std::optional<FundPublication>> get_fund_publication(int64_t id) override;
  Result<std::vector<FundPublication>> fund_publications(std::string_view path, std::optional<int64_t> cycle_id,
                                                         int64_t limit) override;
  Result<std::vector<TransferSum>> fund_transfer_sums(std::string_view path, std::optional<int64_t> cycle_id,
                                                      int64_t from_ms, int64_t to_ms) override;
  Result<std::vector<AccountMovement>> fund_account_movements(std::string_view path, int64_t from_ms,
                                                              int64_t to_ms) override;
  Result<std::vector<PaidBySchoolLevel>> paid_by_school_level(int64_t cycle_id) override;
  Result<std::vector<AuditPaymentRow>> audit_payment_rows(int64_t county_id, int64_t from_ms, int64_t to_ms,
                                                          int64_t limit) override;
  Result<std::vector<AuditTransferRow>> audit_transfer_rows(std::string_view path, int64_t from_ms, int64_t to_ms,
                                                            int64_t limit) override;
  Result<FundTransferPage> fund_transfer_page(std::string_view path, std::string_view code,
                                              std::optional<int64_t> cycle_id, int64_t offset,
                                              int64_t limit) override;

  // For maintenance and tests: the connection itself.
  Connection& connection() { return db_; }

 private:
  SqliteStore(Connection db, const SensitiveCodec& codec) : db_(std::move(db)), codec_(codec) {}

  // Runs `body` in the caller's transaction, or in one of its own when none
  // is open: operations of several statements are all-or-nothing either way.
  template <class T, class Body>
  Result<T> atomically(Body&& body);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int64_t changes() const;
  // NOT_FOUND unless the last statement changed a row (updates by user id).
  Result<void> require_changed(std::string_view what, int64_t id) const;
  // One dept_list_entry row (row_number, id_number, name, category,
  // valid_from, valid_to, source).
  Result<DeptListEntryInput> read_list_entry(const Statement& s) const;

  Connection db_;
  const SensitiveCodec& codec_;
  int schema_version_ = 0;
};

template <class T, class Body>
Result<T> SqliteStore::atomically(Body&& body) {
  if (in_transaction()) return body();
  auto tx = Transaction::begin(*this);
  if (!tx) return tl::unexpected(tx.error());
  Result<T> result = body();
  if (!result) return result;  // the guard rolls back
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return result;
}

// The smallest string greater than every string that starts with `prefix`
// (its last byte incremented): `path >= prefix AND path < bound` selects a
// subtree with an ordinary index range on every backend, without LIKE.
std::string prefix_upper_bound(std::string_view prefix);

}  // namespace zizhu::store::sqlite
