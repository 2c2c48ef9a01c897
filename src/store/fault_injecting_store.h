// A Store that forwards to another and fails on purpose: the N-th write
// (counting every upsert and every ledger write) returns an error instead of
// running, as a crash or a full disk would midway through an import or a
// ledger batch. For tests of all-or-nothing behaviour (LevelDB's
// fault_injection_test habit).
#pragma once

#include <cstdint>

#include "store/store.h"

namespace zizhu::store {

class FaultInjectingStore final : public Store {
 public:
  // `fail_at_write`: 1-based number of the write that fails; 0 never fails.
  FaultInjectingStore(Store& inner, int64_t fail_at_write) : inner_(inner), fail_at_write_(fail_at_write) {}

  int64_t writes_attempted() const { return writes_; }

  Result<void> begin() override { return inner_.begin(); }
  Result<void> commit() override { return inner_.commit(); }
  Result<void> rollback() override { return inner_.rollback(); }
  bool in_transaction() const override { return inner_.in_transaction(); }
  int schema_version() const override { return inner_.schema_version(); }

  Result<Upserted> upsert_org_node(const OrgNodeInput& node) override;
  Result<std::optional<OrgNode>> find_org_node(std::string_view code) override { return inner_.find_org_node(code); }
  Result<std::optional<OrgNode>> get_org_node(int64_t id) override { return inner_.get_org_node(id); }
  Result<std::vector<OrgNode>> org_subtree(std::string_view path) override { return inner_.org_subtree(path); }

  Result<Upserted> upsert_school(const SchoolInput& school) override;
  Result<std::optional<School>> find_school(std::string_view code) override { return inner_.find_school(code); }
  Result<std::vector<School>> schools_under(std::string_view path) override { return inner_.schools_under(path); }

  Result<Upserted> upsert_guardian(const GuardianInput& guardian) override;
  Result<std::optional<Guardian>> find_guardian(const SensitiveText& id_number) override {
    return inner_.find_guardian(id_number);
  }

  Result<Upserted> upsert_student(const StudentInput& student) override;
  Result<std::optional<Student>> find_student(const SensitiveText& student_no) override {
    return inner_.find_student(student_no);
  }
  Result<std::vector<Student>> students_under(std::string_view path) override { return inner_.students_under(path); }
  Result<int64_t> count_students() override { return inner_.count_students(); }

  // The ledger: reads forward; each write counts (and may fail) like an upsert.
  Result<void> create_ledger_account(const LedgerAccount& account) override;
  Result<std::vector<LedgerAccount>> ledger_accounts(const std::vector<int64_t>& ids) override {
    return inner_.ledger_accounts(ids);
  }
  Result<std::vector<LedgerTransfer>> ledger_transfers(const std::vector<int64_t>& ids) override {
    return inner_.ledger_transfers(ids);
  }
  Result<std::vector<LedgerTransfer>> ledger_resolutions(const std::vector<int64_t>& pending_ids) override {
    return inner_.ledger_resolutions(pending_ids);
  }
  Result<std::vector<LedgerTransfer>> ledger_corrections(const std::vector<int64_t>& corrected_ids) override {
    return inner_.ledger_corrections(corrected_ids);
  }
  Result<void> insert_ledger_transfers(const std::vector<LedgerTransfer>& transfers) override;
  Result<void> update_ledger_balances(const std::vector<LedgerAccount>& accounts) override;
  Result<std::vector<LedgerAccount>> ledger_accounts_after(int64_t after_id, int64_t limit) override {
    return inner_.ledger_accounts_after(after_id, limit);
  }
  Result<std::vector<LedgerTransfer>> ledger_transfers_after(int64_t after_seq, int64_t limit) override {
    return inner_.ledger_transfers_after(after_seq, limit);
  }

  // Paying: reads forward; each write counts (and may fail).
  Result<int64_t> add_payment_batch(const PaymentBatchRecord& batch) override;
  Result<std::optional<PaymentBatchRecord>> get_payment_batch(int64_t id) override {
    return inner_.get_payment_batch(id);
  }
  Result<std::vector<PaymentBatchRecord>> payment_batches(int64_t cycle_id) override {
    return inner_.payment_batches(cycle_id);
  }
  Result<void> update_payment_batch(const PaymentBatchRecord& batch) override;
  Result<void> add_payment_lines(std::vector<PaymentLineRecord>& lines) override;
  Result<std::vector<PaymentLineRecord>> payment_lines(int64_t batch_id) override {
    return inner_.payment_lines(batch_id);
  }
  Result<std::vector<PaymentLineRecord>> payment_lines_of_term(int64_t cycle_id, int term) override {
    return inner_.payment_lines_of_term(cycle_id, term);
  }
  Result<std::vector<PaymentLineRecord>> payment_lines_after(int64_t after_id, int64_t limit) override {
    return inner_.payment_lines_after(after_id, limit);
  }
  Result<void> update_payment_line(const PaymentLineRecord& line) override;
  Result<std::vector<std::pair<std::string, int64_t>>> payment_use_by_source(std::string_view path) override {
    return inner_.payment_use_by_source(path);
  }
  Result<int64_t> add_bank_card_change(const BankCardChange& change) override;
  Result<std::vector<BankCardChange>> bank_card_changes_since(const std::vector<int64_t>& student_ids,
                                                              int64_t since_ms) override {
    return inner_.bank_card_changes_since(student_ids, since_ms);
  }

 private:
  // True when this write is the one to fail.
  bool fault();
  Store& inner_;
  int64_t fail_at_write_;
  int64_t writes_ = 0;
};

}  // namespace zizhu::store
