// The ledger over the store: load what a batch touches, apply the rules
// (funds/ledger.h), write the outcome, all in one write transaction, so that a
// crash leaves either the whole batch or none of it, and two writers never
// see the same balances (SQLite: BEGIN IMMEDIATE takes the write lock first).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/error.h"
#include "funds/ledger.h"
#include "store/store.h"

namespace zizhu::funds {

// Creates the accounts in one transaction (all or none). Their balances must
// be zero: money enters an account only through transfers. BAD_VALUE for a
// bad account, CONFLICT when an id is taken.
Result<void> create_accounts(store::Store& store, std::span<const LedgerAccount> accounts, int64_t now_ms);

// begin -> load -> apply -> write -> commit. The results are per transfer,
// in batch order. An error (database, bad batch) means nothing was written.
Result<AppliedBatch> submit_transfers(store::Store& store, std::span<const LedgerTransfer> batch, int64_t now_ms);

// The same inside the caller's open write transaction (the caller commits):
// for an operation that writes other records with its transfers.
Result<AppliedBatch> apply_in_transaction(store::Store& store, std::span<const LedgerTransfer> batch, int64_t now_ms);

}  // namespace zizhu::funds
