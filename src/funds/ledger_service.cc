#include "funds/ledger_service.h"

#include <algorithm>
#include <string>

namespace zizhu::funds {

namespace {

void sort_unique(std::vector<int64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

Result<void> check_new_account(const LedgerAccount& a) {
  if (a.id <= 0) return fail("BAD_VALUE", "账户编号必须为正整数 (account id must be positive)");
  if (a.debits_pending_fen != 0 || a.debits_posted_fen != 0 || a.credits_pending_fen != 0 ||
      a.credits_posted_fen != 0) {
    return fail("BAD_VALUE", "新账户余额必须为零，资金只能通过转账进入 (a new account starts at zero): " +
                                 std::to_string(a.id));
  }
  return {};
}

}  // namespace

Result<void> create_accounts(store::Store& store, std::span<const LedgerAccount> accounts, int64_t now_ms) {
  if (accounts.size() > kBatchTransfersMax) return fail("BAD_VALUE", "一次创建的账户过多 (too many accounts)");
  for (const LedgerAccount& a : accounts) {
    if (auto ok = check_new_account(a); !ok) return ok;
  }
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  for (LedgerAccount a : accounts) {
    a.created_at_ms = now_ms;
    if (auto ok = store.create_ledger_account(a); !ok) return ok;
  }
  return tx->commit();
}

Result<AppliedBatch> apply_in_transaction(store::Store& store, std::span<const LedgerTransfer> batch, int64_t now_ms) {
  if (!store.in_transaction()) return fail("INTERNAL", "账本写入必须在事务中 (ledger writes need a transaction)");
  if (batch.empty() || batch.size() > kBatchTransfersMax) {
    return fail("BAD_VALUE", "一批转账须为 1 至 " + std::to_string(kBatchTransfersMax) + " 笔 (batch size): " +
                                 std::to_string(batch.size()));
  }
  // Everything the rules may look at: the accounts named, the transfers named
  // (for retries, posts, voids and corrections), how pending transfers were
  // resolved, and the earlier corrections of the transfers corrected.
  std::vector<int64_t> account_ids;
  std::vector<int64_t> transfer_ids;
  std::vector<int64_t> pending_ids;
  std::vector<int64_t> corrected_ids;
  account_ids.reserve(2 * batch.size());
  transfer_ids.reserve(3 * batch.size());
  for (const LedgerTransfer& t : batch) {
    account_ids.push_back(t.debit_account_id);
    account_ids.push_back(t.credit_account_id);
    if (t.id > 0) transfer_ids.push_back(t.id);
    if (t.pending_id > 0) {
      transfer_ids.push_back(t.pending_id);
      pending_ids.push_back(t.pending_id);
    }
    if (t.corrects_id > 0) {
      transfer_ids.push_back(t.corrects_id);
      corrected_ids.push_back(t.corrects_id);
    }
  }
  sort_unique(account_ids);
  sort_unique(transfer_ids);
  sort_unique(pending_ids);
  sort_unique(corrected_ids);

  Ledger ledger;
  auto accounts = store.ledger_accounts(account_ids);
  if (!accounts) return tl::unexpected(accounts.error());
  for (const LedgerAccount& a : *accounts) ledger.add_account(a);
  auto transfers = store.ledger_transfers(transfer_ids);
  if (!transfers) return tl::unexpected(transfers.error());
  for (const LedgerTransfer& t : *transfers) ledger.add_transfer(t);
  auto resolutions = store.ledger_resolutions(pending_ids);
  if (!resolutions) return tl::unexpected(resolutions.error());
  for (const LedgerTransfer& t : *resolutions) ledger.add_transfer(t);
  // Earlier corrections of the transfers this batch corrects: together they
  // may not undo more than the transfer moved.
  auto corrections = store.ledger_corrections(corrected_ids);
  if (!corrections) return tl::unexpected(corrections.error());
  for (const LedgerTransfer& t : *corrections) ledger.add_transfer(t);

  auto applied = ledger.apply(batch, now_ms);
  if (!applied) return applied;
  if (!applied->created.empty()) {
    if (auto ok = store.insert_ledger_transfers(applied->created); !ok) return tl::unexpected(ok.error());
  }
  if (!applied->changed_accounts.empty()) {
    // In id order, so that concurrent writers on a server database (which
    // lock rows, not the file) take row locks in one order.
    std::sort(applied->changed_accounts.begin(), applied->changed_accounts.end(),
              [](const LedgerAccount& a, const LedgerAccount& b) { return a.id < b.id; });
    if (auto ok = store.update_ledger_balances(applied->changed_accounts); !ok) return tl::unexpected(ok.error());
  }
  return applied;
}

Result<AppliedBatch> submit_transfers(store::Store& store, std::span<const LedgerTransfer> batch, int64_t now_ms) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto applied = apply_in_transaction(store, batch, now_ms);
  if (!applied) return applied;  // the guard rolls back
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return applied;
}

}  // namespace zizhu::funds
