// The ledger over SQLite: one transaction per batch, immutability enforced by
// the database too, and `ledger check` noticing what the rules would never do.
#include "funds/ledger_service.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "funds/ledger_check.h"
#include "store/fault_injecting_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace zizhu::funds {
namespace {

using R = TransferResult;
namespace tf = transfer_flags;
using store::sqlite::SqliteStore;

class LedgerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::open(dir.file("l.db"));
    ASSERT_TRUE(s) << s.error().message;
    db = std::move(*s);
    auto org = db->upsert_org_node({std::nullopt, store::OrgKind::kProvince, "620000", "甘肃省"});
    ASSERT_TRUE(org);
    std::vector<LedgerAccount> chart(3);
    chart[0].id = 1;
    chart[0].kind = LedgerAccountKind::kSourceCentral;
    chart[1].id = 2;
    chart[1].kind = LedgerAccountKind::kDedicated;
    chart[1].no_overdraft = true;
    chart[2].id = 3;
    chart[2].kind = LedgerAccountKind::kPayable;
    for (auto& a : chart) a.org_id = org->id;
    ASSERT_TRUE(create_accounts(*db, chart, 5));
  }
  LedgerTransfer t(int64_t id, int64_t dr, int64_t cr, int64_t amount_fen, uint32_t flags = 0) {
    LedgerTransfer x;
    x.id = id;
    x.debit_account_id = dr;
    x.credit_account_id = cr;
    x.amount_fen = amount_fen;
    x.flags = flags;
    x.source = "中央财政";
    return x;
  }
  int64_t count(const std::string& table) {
    auto s = db->connection().prepare("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(s);
    EXPECT_TRUE(*s->step());
    return s->int_at(0);
  }
  store::testing::TempDir dir;
  std::unique_ptr<SqliteStore> db;
};

TEST_F(LedgerServiceTest, AccountsStartAtZeroAndIdsAreUnique) {
  LedgerAccount a;
  a.id = 1;
  a.org_id = 1;
  auto again = create_accounts(*db, std::vector{a}, 1);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "CONFLICT");
  a.id = 9;
  a.credits_posted_fen = 100;
  EXPECT_EQ(create_accounts(*db, std::vector{a}, 1).error().code, "BAD_VALUE");
}

TEST_F(LedgerServiceTest, BatchIsPersistedAndRetriesAreIdempotent) {
  const std::vector batch = {t(10, 1, 2, 1000), t(11, 2, 3, 400, tf::kPending)};
  auto first = submit_transfers(*db, batch, 100);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->results, (std::vector<R>{R::kOk, R::kOk}));
  auto again = submit_transfers(*db, batch, 200);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->results, (std::vector<R>{R::kExists, R::kExists}));
  EXPECT_EQ(count("ledger_transfer"), 2);
  auto post = t(12, 2, 3, 300, tf::kPostPending);
  post.pending_id = 11;
  auto posted = submit_transfers(*db, std::vector{post}, 300);
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->results, std::vector<R>{R::kOk});
  auto accounts = db->ledger_accounts({2});
  ASSERT_TRUE(accounts);
  ASSERT_EQ(accounts->size(), 1u);
  EXPECT_EQ(accounts->at(0).debits_posted_fen, 300);
  EXPECT_EQ(accounts->at(0).debits_pending_fen, 0);
  EXPECT_EQ(accounts->at(0).credits_posted_fen, 1000);
  // A second resolution of the same pending transfer: refused by the rules,
  // and by the database's unique index if the rules were bypassed.
  auto void_it = t(13, 2, 3, 400, tf::kVoidPending);
  void_it.pending_id = 11;
  auto voided = submit_transfers(*db, std::vector{void_it}, 400);
  ASSERT_TRUE(voided);
  EXPECT_EQ(voided->results, std::vector<R>{R::kPendingTransferAlreadyPosted});
  void_it.timestamp_ms = 1;
  EXPECT_FALSE(db->insert_ledger_transfers({void_it}));
  auto report = check_ledger(*db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->transfers, 3);
}

TEST_F(LedgerServiceTest, AFailedWriteLeavesNothing) {
  for (int64_t fail_at = 1; fail_at <= 2; ++fail_at) {
    store::FaultInjectingStore faulty(*db, fail_at);
    EXPECT_FALSE(submit_transfers(faulty, std::vector{t(10, 1, 2, 1000), t(11, 1, 2, 5)}, 100));
    EXPECT_EQ(count("ledger_transfer"), 0);
    auto report = check_ledger(*db);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok());
  }
}

TEST_F(LedgerServiceTest, TransfersCannotBeChangedOrDeleted) {
  ASSERT_TRUE(submit_transfers(*db, std::vector{t(10, 1, 2, 1000)}, 100));
  EXPECT_FALSE(db->connection().exec("UPDATE ledger_transfer SET amount_fen = 1"));
  EXPECT_FALSE(db->connection().exec("DELETE FROM ledger_transfer"));
  EXPECT_FALSE(db->connection().exec("UPDATE ledger_account SET kind = 'payable' WHERE id = 2"));
  EXPECT_FALSE(db->connection().exec("DELETE FROM ledger_account WHERE id = 2"));
  // The no-overdraft rule is also a CHECK on the row.
  EXPECT_FALSE(db->connection().exec("UPDATE ledger_account SET debits_posted_fen = 1001 WHERE id = 2"));
}

// Corrections stored by earlier batches count: together they never undo more
// than the transfer moved (the sum is judged, not each alone).
TEST_F(LedgerServiceTest, CorrectionsAcrossBatchesNeverExceedTheTransfer) {
  const std::vector<LedgerTransfer> receipt = {t(1, 1, 2, 100)};
  ASSERT_TRUE(submit_transfers(*db, receipt, 10));
  auto correction = [&](int64_t id, int64_t fen) {
    LedgerTransfer c = t(id, 2, 1, fen);
    c.code = store::TransferCode::kCorrection;
    c.corrects_id = 1;
    return std::vector<LedgerTransfer>{c};
  };
  auto first = submit_transfers(*db, correction(2, 60), 11);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->results[0], R::kOk);
  auto second = submit_transfers(*db, correction(3, 60), 12);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->results[0], R::kExceedsCorrectedAmount);
  auto rest = submit_transfers(*db, correction(4, 40), 13);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->results[0], R::kOk);
  auto report = check_ledger(*db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
  // A hand-made extra correction in the database is what the check reports
  // (beside the balances it no longer matches).
  ASSERT_TRUE(db->connection().exec(
      "INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount_fen, code, flags, corrects_id,"
      " source, budget_doc, user_id, timestamp_ms) VALUES (5, 2, 1, 1, 'correction', 0, 1, '', '', 0, 14)"));
  report = check_ledger(*db);
  ASSERT_TRUE(report);
  bool named = false;
  for (const auto& p : report->problems) named = named || p.invariant == LedgerInvariant::kCorrectionNamesTransfer;
  EXPECT_TRUE(named);
}

TEST_F(LedgerServiceTest, CheckNamesABalanceThatDisagreesWithTheTransfers) {
  ASSERT_TRUE(submit_transfers(*db, std::vector{t(10, 1, 2, 1000), t(11, 2, 3, 100)}, 100));
  // A hand edit of a balance (the rows allow balance updates: the ledger makes them).
  ASSERT_TRUE(db->connection().exec("UPDATE ledger_account SET credits_posted_fen = 1100 WHERE id = 2"));
  auto report = check_ledger(*db);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok());
  bool mismatch = false, unbalanced = false;
  for (const auto& p : report->problems) {
    mismatch |= p.invariant == LedgerInvariant::kBalanceMatchesTransfers;
    unbalanced |= p.invariant == LedgerInvariant::kDebitsEqualCredits;
  }
  EXPECT_TRUE(mismatch);
  EXPECT_TRUE(unbalanced);
}

// Two connections writing at once (as two server workers would): each batch
// loads and writes its balances under the write lock, so no update is lost.
TEST_F(LedgerServiceTest, ConcurrentWritersLoseNothing) {
  ASSERT_TRUE(submit_transfers(*db, std::vector{t(1, 1, 2, 1'000'000)}, 1));
  constexpr int kWriters = 2;
  constexpr int64_t kBatches = 50;
  std::vector<std::thread> writers;
  std::vector<int64_t> accepted(kWriters, 0);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto s = SqliteStore::open(dir.file("l.db"));
      if (!s) return;
      for (int64_t b = 0; b < kBatches; ++b) {
        std::vector<LedgerTransfer> batch;
        for (int64_t k = 0; k < 10; ++k) batch.push_back(t(1000 * (w + 1) + 10 * b + k + 100000, 2, 3, 7));
        auto r = submit_transfers(**s, batch, 2);
        if (!r) continue;
        for (R x : r->results) accepted[static_cast<size_t>(w)] += x == R::kOk ? 1 : 0;
      }
    });
  }
  for (auto& w : writers) w.join();
  const int64_t total = accepted[0] + accepted[1];
  EXPECT_EQ(total, kWriters * kBatches * 10);
  auto accounts = db->ledger_accounts({2});
  ASSERT_TRUE(accounts);
  EXPECT_EQ(accounts->at(0).debits_posted_fen, 7 * total);
  auto report = check_ledger(*db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok());
}

// Databases for tests/ledger.cmake (`zizhu ledger check` exit codes and
// output): written only when ZIZHU_LEDGER_FIXTURE_DIR is set.
TEST(LedgerCommandFixture, Write) {
  const char* dir_env = std::getenv("ZIZHU_LEDGER_FIXTURE_DIR");
  if (dir_env == nullptr || *dir_env == '\0') GTEST_SKIP() << "ZIZHU_LEDGER_FIXTURE_DIR not set";
  const std::filesystem::path dir(dir_env);
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const char* tamper_sql) {
    const std::string path = (dir / name).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    auto s = SqliteStore::open(path);
    ASSERT_TRUE(s) << s.error().message;
    SqliteStore& db = **s;
    auto org = db.upsert_org_node({std::nullopt, store::OrgKind::kProvince, "620000", "甘肃省"});
    ASSERT_TRUE(org);
    std::vector<LedgerAccount> chart(3);
    for (size_t i = 0; i < chart.size(); ++i) {
      chart[i].id = static_cast<int64_t>(i) + 1;
      chart[i].org_id = org->id;
    }
    chart[0].kind = LedgerAccountKind::kSourceCentral;
    chart[1].kind = LedgerAccountKind::kDedicated;
    chart[1].no_overdraft = true;
    chart[2].kind = LedgerAccountKind::kPayable;
    ASSERT_TRUE(create_accounts(db, chart, 1));
    auto make = [](int64_t id, int64_t dr, int64_t cr, int64_t amount_fen, uint32_t flags, int64_t pending_id) {
      LedgerTransfer x;
      x.id = id;
      x.debit_account_id = dr;
      x.credit_account_id = cr;
      x.amount_fen = amount_fen;
      x.flags = flags;
      x.pending_id = pending_id;
      return x;
    };
    const std::vector batch = {make(10, 1, 2, 100000, 0, 0), make(11, 2, 3, 30000, tf::kPending, 0),
                               make(12, 2, 3, 20000, tf::kPostPending, 11), make(13, 2, 3, 5000, tf::kPending, 0)};
    auto r = submit_transfers(db, batch, 1);
    ASSERT_TRUE(r);
    for (R x : r->results) ASSERT_EQ(x, R::kOk);
    if (tamper_sql != nullptr) {
      ASSERT_TRUE(db.connection().exec(tamper_sql));
    }
  };
  write("consistent.db", nullptr);
  write("edited_balance.db", "UPDATE ledger_account SET credits_posted_fen = 100001 WHERE id = 2");
  // A transfer written around the ledger: its accounts' balances never moved.
  write("inserted_transfer.db",
        "INSERT INTO ledger_transfer (id, debit_account_id, credit_account_id, amount_fen, code, flags, source,"
        " budget_doc, user_id, timestamp_ms) VALUES (99, 1, 3, 7, 'receipt', 0, '', '', 0, 1)");
}

}  // namespace
}  // namespace zizhu::funds
