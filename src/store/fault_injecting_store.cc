#include "store/fault_injecting_store.h"

namespace zizhu::store {

namespace {
tl::unexpected<Error> injected() { return fail("DB", "injected fault (test)"); }
}  // namespace

bool FaultInjectingStore::fault() { return ++writes_ == fail_at_write_; }

Result<Upserted> FaultInjectingStore::upsert_org_node(const OrgNodeInput& node) {
  if (fault()) return injected();
  return inner_.upsert_org_node(node);
}

Result<Upserted> FaultInjectingStore::upsert_school(const SchoolInput& school) {
  if (fault()) return injected();
  return inner_.upsert_school(school);
}

Result<Upserted> FaultInjectingStore::upsert_guardian(const GuardianInput& guardian) {
  if (fault()) return injected();
  return inner_.upsert_guardian(guardian);
}

Result<Upserted> FaultInjectingStore::upsert_student(const StudentInput& student) {
  if (fault()) return injected();
  return inner_.upsert_student(student);
}

Result<void> FaultInjectingStore::create_ledger_account(const LedgerAccount& account) {
  if (fault()) return injected();
  return inner_.create_ledger_account(account);
}

Result<void> FaultInjectingStore::insert_ledger_transfers(const std::vector<LedgerTransfer>& transfers) {
  if (fault()) return injected();
  return inner_.insert_ledger_transfers(transfers);
}

Result<void> FaultInjectingStore::update_ledger_balances(const std::vector<LedgerAccount>& accounts) {
  if (fault()) return injected();
  return inner_.update_ledger_balances(accounts);
}

Result<int64_t> FaultInjectingStore::add_payment_batch(const PaymentBatchRecord& batch) {
  if (fault()) return injected();
  return inner_.add_payment_batch(batch);
}

Result<void> FaultInjectingStore::update_payment_batch(const PaymentBatchRecord& batch) {
  if (fault()) return injected();
  return inner_.update_payment_batch(batch);
}

Result<void> FaultInjectingStore::add_payment_lines(std::vector<PaymentLineRecord>& lines) {
  if (fault()) return injected();
  return inner_.add_payment_lines(lines);
}

Result<void> FaultInjectingStore::update_payment_line(const PaymentLineRecord& line) {
  if (fault()) return injected();
  return inner_.update_payment_line(line);
}

Result<int64_t> FaultInjectingStore::add_bank_card_change(const BankCardChange& change) {
  if (fault()) return injected();
  return inner_.add_bank_card_change(change);
}

}  // namespace zizhu::store
