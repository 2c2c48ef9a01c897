// A seeded simulation of the persisted ledger, in the spirit of TigerBeetle's
// VOPR: thousands of random operations (receipts, allocations, pending
// commitments, posts and voids in part or whole, duplicates and replays with
// the same and with different content, linked chains with a failing member,
// overdraft attempts, corrections) go through funds::submit_transfers on a
// temporary SQLite database. After every step the database is compared with an
// independent model kept here (plain maps, its own copy of the rules) and with
// `zizhu ledger check`'s replay. Faults: injected write failures
// (FaultInjectingStore), and a child process that dies in the middle of a
// batch or right after committing it, after which the database must reopen
// consistent with nothing lost or doubled.
//
// The seed is printed on failure; ZIZHU_SIM_SEED=<n> replays it, and
// ZIZHU_SIM_STEPS=<n> runs longer.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "funds/ledger.h"
#include "funds/ledger_check.h"
#include "funds/ledger_service.h"
#include "store/fault_injecting_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace zizhu::funds {
namespace {

using R = TransferResult;
namespace tf = transfer_flags;
using store::sqlite::SqliteStore;

// --- the model: its own bookkeeping, written from funds.md, not from ledger.cc --

struct Balance {
  int64_t dp = 0, dpo = 0, cp = 0, cpo = 0;
  bool no_overdraft = false;
  bool operator==(const Balance& o) const = default;
};

struct Model {
  std::map<int64_t, Balance> balances;
  std::map<int64_t, LedgerTransfer> accepted;  // by id
  std::map<int64_t, int64_t> resolved;         // pending id -> post/void id

  // Same content as far as the caller chose it.
  static R differs(const LedgerTransfer& t, const LedgerTransfer& e) {
    if (t.flags != e.flags) return R::kExistsWithDifferentFlags;
    if (t.debit_account_id != e.debit_account_id) return R::kExistsWithDifferentDebitAccountId;
    if (t.credit_account_id != e.credit_account_id) return R::kExistsWithDifferentCreditAccountId;
    if (t.amount_fen != e.amount_fen) return R::kExistsWithDifferentAmountFen;
    if (t.pending_id != e.pending_id) return R::kExistsWithDifferentPendingId;
    if (t.corrects_id != e.corrects_id) return R::kExistsWithDifferentCorrectsId;
    if (t.code != e.code) return R::kExistsWithDifferentCode;
    if (t.cycle_id != e.cycle_id) return R::kExistsWithDifferentCycleId;
    if (t.source != e.source) return R::kExistsWithDifferentSource;
    if (t.budget_doc != e.budget_doc) return R::kExistsWithDifferentBudgetDoc;
    if (t.user_id != e.user_id) return R::kExistsWithDifferentUserId;
    return R::kExists;
  }

  // Only the cases the generator makes; anything else fails the test loudly.
  R predict(const LedgerTransfer& t) const {
    if (auto e = accepted.find(t.id); e != accepted.end()) return differs(t, e->second);
    if (t.debit_account_id == t.credit_account_id) return R::kAccountsMustBeDifferent;
    if (!balances.count(t.debit_account_id)) return R::kDebitAccountNotFound;
    if (!balances.count(t.credit_account_id)) return R::kCreditAccountNotFound;
    const Balance& dr = balances.at(t.debit_account_id);
    if ((t.flags & (tf::kPostPending | tf::kVoidPending)) != 0) {
      auto p = accepted.find(t.pending_id);
      if (p == accepted.end()) return R::kPendingTransferNotFound;
      if ((p->second.flags & tf::kPending) == 0) return R::kPendingTransferNotPending;
      if (auto r = resolved.find(t.pending_id); r != resolved.end()) {
        return (accepted.at(r->second).flags & tf::kPostPending) != 0 ? R::kPendingTransferAlreadyPosted
                                                                       : R::kPendingTransferAlreadyVoided;
      }
      if ((t.flags & tf::kPostPending) != 0 && t.amount_fen > p->second.amount_fen) {
        return R::kExceedsPendingTransferAmount;
      }
      if ((t.flags & tf::kVoidPending) != 0 && t.amount_fen != p->second.amount_fen) {
        return R::kVoidAmountMustEqualPendingAmount;
      }
      return R::kOk;
    }
    if (t.code == TransferCode::kCorrection) {
      auto c = accepted.find(t.corrects_id);
      if (c == accepted.end()) return R::kCorrectedTransferNotFound;
      if ((c->second.flags & (tf::kPending | tf::kVoidPending)) != 0) return R::kCorrectedTransferNotPosted;
      if (c->second.debit_account_id != t.credit_account_id || c->second.credit_account_id != t.debit_account_id) {
        return R::kCorrectionMustReverseAccounts;
      }
      // All corrections of one transfer together undo at most what it moved.
      int64_t undone = 0;
      for (const auto& [id, a] : accepted) {
        if (a.corrects_id == t.corrects_id) undone += a.amount_fen;
      }
      if (t.amount_fen > c->second.amount_fen - undone) return R::kExceedsCorrectedAmount;
    }
    if (dr.no_overdraft && dr.dp + dr.dpo + t.amount_fen > dr.cpo) return R::kExceedsCredits;
    return R::kOk;
  }

  void execute(const LedgerTransfer& t) {
    Balance& dr = balances.at(t.debit_account_id);
    Balance& cr = balances.at(t.credit_account_id);
    if ((t.flags & tf::kPending) != 0) {
      dr.dp += t.amount_fen;
      cr.cp += t.amount_fen;
    } else if ((t.flags & (tf::kPostPending | tf::kVoidPending)) != 0) {
      const int64_t reserved = accepted.at(t.pending_id).amount_fen;
      dr.dp -= reserved;
      cr.cp -= reserved;
      if ((t.flags & tf::kPostPending) != 0) {
        dr.dpo += t.amount_fen;
        cr.cpo += t.amount_fen;
      }
      resolved[t.pending_id] = t.id;
    } else {
      dr.dpo += t.amount_fen;
      cr.cpo += t.amount_fen;
    }
    accepted[t.id] = t;
  }

  // Predicts and applies a whole batch with linked chains (all or nothing).
  std::vector<R> apply(const std::vector<LedgerTransfer>& batch) {
    std::vector<R> out(batch.size(), R::kOk);
    size_t i = 0;
    while (i < batch.size()) {
      size_t end = i;
      while (end + 1 < batch.size() && (batch[end].flags & tf::kLinked) != 0) ++end;
      const bool open = (batch[end].flags & tf::kLinked) != 0;
      // Only a chain needs a copy to go back to: a lone transfer that fails
      // changed nothing.
      const bool chain = end > i || open;
      const Model saved = chain ? *this : Model{};
      std::optional<size_t> failed;
      for (size_t k = i; k <= end && !failed; ++k) {
        R r = predict(batch[k]);
        if (r == R::kOk && open && k == end) r = R::kLinkedEventChainOpen;
        out[k] = r;
        if (r == R::kOk) {
          execute(batch[k]);
        } else if (r != R::kExists) {
          failed = k;
        }
      }
      if (!failed && open) failed = end;
      if (failed) {
        if (chain) *this = saved;
        for (size_t k = i; k <= end; ++k) {
          if (k != *failed) out[k] = R::kLinkedEventFailed;
        }
        if (open && out[*failed] == R::kExists) out[*failed] = R::kLinkedEventChainOpen;
      }
      i = end + 1;
    }
    return out;
  }
};

// --- the generator ---------------------------------------------------------------

constexpr int64_t kSources[] = {1, 2, 3};  // central, provincial, donor
constexpr int64_t kDedicated = 10;
constexpr int64_t kSchools[] = {20, 21, 22};
constexpr int64_t kPayable = 30;
constexpr int64_t kPaidOut = 31;
constexpr int64_t kMissingAccount = 999;

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  uint64_t below(uint64_t n) { return rng_() % n; }
  bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
  int64_t amount(int64_t max_fen) { return 1 + static_cast<int64_t>(below(static_cast<uint64_t>(max_fen))); }

  LedgerTransfer base(int64_t dr, int64_t cr, int64_t amount_fen, TransferCode code) {
    LedgerTransfer t;
    t.id = next_id_++;
    t.debit_account_id = dr;
    t.credit_account_id = cr;
    t.amount_fen = amount_fen;
    t.code = code;
    t.source = code == TransferCode::kReceipt ? "中央财政" : "";
    t.budget_doc = code == TransferCode::kReceipt ? "财教〔2026〕" + std::to_string(below(50)) + "号" : "";
    t.user_id = 1 + static_cast<int64_t>(below(3));
    return t;
  }

  int64_t school() { return kSchools[below(3)]; }

  // One transfer of a random kind, given what the model has accepted so far.
  LedgerTransfer one(const Model& m) {
    const uint64_t kind = below(100);
    if (kind < 18) return base(kSources[below(3)], kDedicated, amount(2'000'000), TransferCode::kReceipt);
    if (kind < 32) {  // allocations, sometimes more than the dedicated account holds
      const Balance& d = m.balances.at(kDedicated);
      const int64_t free_fen = d.cpo - d.dp - d.dpo;
      const int64_t amt = chance(20) || free_fen <= 0 ? amount(5'000'000) : amount(std::min<int64_t>(free_fen, 600'000));
      return base(kDedicated, school(), amt, TransferCode::kAllocation);
    }
    if (kind < 50) {  // commitments: pending, school -> payable; schools run short, so reservations count
      auto t = base(school(), kPayable, amount(800'000), TransferCode::kCommitment);
      t.flags = tf::kPending;
      return t;
    }
    if (kind < 68 && !pendings_.empty()) {  // post or void a pending one (maybe resolved already)
      const LedgerTransfer& p = pendings_[below(pendings_.size())];
      const bool post = chance(65);
      // Code "payment" is kept for the app's payment lines (ledger_check ties
      // each payment transfer to its line, funds/payment_ids.h): the ledger's
      // rules do not depend on the code.
      auto t = base(p.debit_account_id, p.credit_account_id, p.amount_fen, TransferCode::kCommitment);
      t.flags = post ? tf::kPostPending : tf::kVoidPending;
      t.pending_id = p.id;
      if (post && chance(50)) t.amount_fen = amount(p.amount_fen);       // in part
      if (chance(5)) t.amount_fen = p.amount_fen + 1;                    // too much
      return t;
    }
    if (kind < 75) return base(kPayable, kPaidOut, amount(100'000), TransferCode::kReturn);
    if (kind < 85 && !sent_.empty()) {  // a replay: same content, or one field changed
      LedgerTransfer t = sent_[below(sent_.size())];
      switch (below(6)) {
        case 0: t.amount_fen += 1; break;
        case 1: t.source += "x"; break;
        case 2: t.user_id += 1; break;
        case 3: t.budget_doc = "改"; break;
        default: break;  // the same: a retry
      }
      return t;
    }
    if (kind < 92 && !m.accepted.empty()) {  // a correction of something (usually) posted
      auto it = m.accepted.begin();
      std::advance(it, static_cast<long>(below(std::min<size_t>(m.accepted.size(), 64))));
      const LedgerTransfer& o = it->second;
      auto t = base(o.credit_account_id, o.debit_account_id, amount(o.amount_fen), TransferCode::kCorrection);
      t.corrects_id = o.id;
      if (chance(10)) t.corrects_id = next_id_ + 100000;  // names nothing
      return t;
    }
    if (kind < 96) {  // an unknown account
      return base(kDedicated, kMissingAccount, amount(100), TransferCode::kAllocation);
    }
    return base(kSources[0], kDedicated, amount(1000), TransferCode::kReceipt);
  }

  std::vector<LedgerTransfer> batch(const Model& m) {
    std::vector<LedgerTransfer> out;
    const size_t n = 1 + below(12);
    while (out.size() < n) {
      if (chance(12)) {  // a linked chain of 2..4, now and then with a member bound to fail
        const size_t len = 2 + below(3);
        for (size_t k = 0; k < len; ++k) {
          LedgerTransfer t = one(m);
          if (k + 1 < len || chance(3)) t.flags |= tf::kLinked;  // rarely left open
          out.push_back(t);
        }
        continue;
      }
      out.push_back(one(m));
    }
    for (const auto& t : out) {
      sent_.push_back(t);
      if ((t.flags & tf::kPending) != 0) pendings_.push_back(t);
    }
    // Keep the replay pools bounded.
    if (sent_.size() > 4000) sent_.erase(sent_.begin(), sent_.begin() + 1000);
    if (pendings_.size() > 2000) pendings_.erase(pendings_.begin(), pendings_.begin() + 500);
    return out;
  }

 private:
  std::mt19937_64 rng_;
  int64_t next_id_ = 1000;
  std::vector<LedgerTransfer> sent_;
  std::vector<LedgerTransfer> pendings_;
};

// --- the run ---------------------------------------------------------------------

uint64_t env_u64(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != 0 ? std::strtoull(v, nullptr, 10) : fallback;
}

std::unique_ptr<SqliteStore> open_store(const std::string& path) {
  auto s = SqliteStore::open(path);
  if (!s) {
    ADD_FAILURE() << s.error().message;
    return nullptr;
  }
  return std::move(*s);
}

// The database agrees with the model, and `ledger check` finds nothing.
void expect_consistent(SqliteStore& db, const Model& m, const std::string& where) {
  auto report = check_ledger(db);
  ASSERT_TRUE(report) << where << ": " << report.error().message;
  for (const auto& p : report->problems) {
    ADD_FAILURE() << where << ": " << ledger_invariant_key(p.invariant) << ": " << p.detail;
  }
  ASSERT_TRUE(report->ok()) << where;
  ASSERT_EQ(report->transfers, static_cast<int64_t>(m.accepted.size())) << where << ": transfers lost or doubled";
  auto accounts = db.ledger_accounts_after(0, 1000);
  ASSERT_TRUE(accounts);
  ASSERT_EQ(accounts->size(), m.balances.size()) << where;
  for (const LedgerAccount& a : *accounts) {
    const Balance b{a.debits_pending_fen, a.debits_posted_fen, a.credits_pending_fen, a.credits_posted_fen,
                    a.no_overdraft};
    ASSERT_EQ(b, m.balances.at(a.id)) << where << ": account " << a.id;
  }
}

void create_chart(SqliteStore& db, Model& m) {
  auto org = db.upsert_org_node({std::nullopt, store::OrgKind::kProvince, "620000", "甘肃省"});
  ASSERT_TRUE(org);
  std::vector<LedgerAccount> chart;
  auto add = [&](int64_t id, LedgerAccountKind kind, bool no_overdraft) {
    LedgerAccount a;
    a.id = id;
    a.org_id = org->id;
    a.kind = kind;
    a.no_overdraft = no_overdraft;
    chart.push_back(a);
    m.balances[id] = Balance{0, 0, 0, 0, no_overdraft};
  };
  add(kSources[0], LedgerAccountKind::kSourceCentral, false);
  add(kSources[1], LedgerAccountKind::kSourceProvincial, false);
  add(kSources[2], LedgerAccountKind::kSourceDonor, false);
  add(kDedicated, LedgerAccountKind::kDedicated, true);
  for (int64_t s : kSchools) add(s, LedgerAccountKind::kSchoolAllocation, true);
  add(kPayable, LedgerAccountKind::kPayable, false);
  add(kPaidOut, LedgerAccountKind::kPaidOut, false);
  ASSERT_TRUE(create_accounts(db, chart, 1));
}

// Runs the batch in a child process that dies: before its writes (0), after
// the first write (1), after both writes but before commit (2), or right after
// committing (3). True when the batch was committed.
bool die_in_child(const std::string& path, const std::vector<LedgerTransfer>& batch, int64_t now_ms, int point) {
  const pid_t pid = fork();
  if (pid == 0) {
    auto s = SqliteStore::open(path);
    if (!s) _exit(3);
    store::FaultInjectingStore faulty(**s, point == 1 ? 2 : point == 0 ? 1 : 0);
    if (!(*s)->begin()) _exit(3);
    auto applied = apply_in_transaction(faulty, batch, now_ms);
    if (point == 3) {
      if (!applied || !(*s)->commit()) _exit(3);
    }
    _exit(0);  // no rollback, no close: the process is gone
  }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child failed";
  return point == 3;
}

TEST(LedgerSimulation, RandomOperationsKeepEveryInvariant) {
  std::random_device rd;
  const uint64_t seed = env_u64("ZIZHU_SIM_SEED", (static_cast<uint64_t>(rd()) << 32) ^ rd());
  const uint64_t steps = env_u64("ZIZHU_SIM_STEPS", 1500);
  SCOPED_TRACE("seed " + std::to_string(seed) + " (replay: ZIZHU_SIM_SEED=" + std::to_string(seed) + ")");
  std::cout << "ledger simulation seed " << seed << "\n";

  store::testing::TempDir dir;
  const std::string path = dir.file("ledger.db");
  auto db = open_store(path);
  ASSERT_TRUE(db);
  Model model;
  ASSERT_NO_FATAL_FAILURE(create_chart(*db, model));
  Generator gen(seed);

  int64_t transfers_sent = 0, faults = 0, crashes = 0;
  std::map<std::string_view, int64_t> seen;  // result key -> how often (normal steps only)
  for (uint64_t step = 1; step <= steps; ++step) {
    const std::string where = "step " + std::to_string(step);
    const auto batch = gen.batch(model);
    transfers_sent += static_cast<int64_t>(batch.size());
    const int64_t now_ms = static_cast<int64_t>(step) * 1000;

    if (gen.chance(5)) {  // a write fails: nothing of the batch may remain
      store::FaultInjectingStore faulty(*db, 1 + static_cast<int64_t>(gen.below(2)));
      auto outcome = submit_transfers(faulty, batch, now_ms);
      if (!outcome) ++faults;
      // With nothing to write (every transfer refused or a retry) no write
      // happens, so no fault either: then the batch went through.
      if (outcome) {
        const auto expected = model.apply(batch);
        ASSERT_EQ(outcome->results, expected) << where;
      }
      ASSERT_NO_FATAL_FAILURE(expect_consistent(*db, model, where + " after an injected fault"));
      continue;  // the client will send something else (or this again) later
    }
    if (gen.chance(3)) {  // the process dies mid-batch; the database is reopened
      db.reset();  // no connection may cross fork()
      const int point = static_cast<int>(gen.below(4));
      Model before = model;
      const auto expected = model.apply(batch);
      if (!die_in_child(path, batch, now_ms, point)) model = before;
      ++crashes;
      db = open_store(path);
      ASSERT_TRUE(db);
      ASSERT_NO_FATAL_FAILURE(expect_consistent(*db, model, where + " after a crash at point " + std::to_string(point)));
      // The client did not hear back: it retries the same batch. What was
      // committed answers "exists"; the rest is judged afresh.
      const auto retry_expected = model.apply(batch);
      auto retried = submit_transfers(*db, batch, now_ms + 1);
      ASSERT_TRUE(retried) << where << ": " << retried.error().message;
      ASSERT_EQ(retried->results, retry_expected) << where << " (retry)";
      (void)expected;
      ASSERT_NO_FATAL_FAILURE(expect_consistent(*db, model, where + " after the retry"));
      continue;
    }
    const auto expected = model.apply(batch);
    auto applied = submit_transfers(*db, batch, now_ms);
    ASSERT_TRUE(applied) << where << ": " << applied.error().message;
    ASSERT_EQ(applied->results.size(), expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
      ++seen[transfer_result_key(expected[k])];
      ASSERT_EQ(transfer_result_key(applied->results[k]), transfer_result_key(expected[k]))
          << where << ", transfer " << k << " (id " << batch[k].id << ")";
    }
    ASSERT_NO_FATAL_FAILURE(expect_consistent(*db, model, where));
  }
  // The stored transfers are exactly the model's, field by field.
  size_t stored_count = 0;
  for (int64_t after = 0;;) {  // bounded: seq only grows
    auto stored = db->ledger_transfers_after(after, 5000);
    ASSERT_TRUE(stored);
    for (const LedgerTransfer& t : *stored) {
      after = t.seq;
      ++stored_count;
      ASSERT_EQ(model.accepted.count(t.id), 1u) << "transfer " << t.id << " stored but never accepted";
      EXPECT_EQ(Model::differs(t, model.accepted.at(t.id)), R::kExists) << "transfer " << t.id;
    }
    if (stored->size() < 5000) break;
  }
  ASSERT_EQ(stored_count, model.accepted.size());
  std::cout << "ledger simulation: " << steps << " steps, " << transfers_sent << " transfers sent, "
            << model.accepted.size() << " accepted, " << faults << " injected faults, " << crashes
            << " crashes\n";
  for (const auto& [key, n] : seen) std::cout << "  " << key << ": " << n << "\n";
  // The generator must keep reaching the interesting paths, or the run proves little.
  if (steps >= 1000) {
    for (const std::string_view key :
         {"ok", "exists", "exists_with_different_amount_fen", "exists_with_different_source", "linked_event_failed",
          "exceeds_credits", "pending_transfer_already_posted", "pending_transfer_already_voided",
          "exceeds_pending_transfer_amount", "corrected_transfer_not_found", "credit_account_not_found"}) {
      EXPECT_GT(seen[key], 0) << key << " never happened";
    }
  }
}

}  // namespace
}  // namespace zizhu::funds
