// The ledger's rules, in memory (funds/ledger.h): one test per rule.
#include "funds/ledger.h"

#include <gtest/gtest.h>

#include <vector>

namespace zizhu::funds {
namespace {

using R = TransferResult;
namespace tf = transfer_flags;

constexpr int64_t kCentral = 1;    // 中央财政 source
constexpr int64_t kDedicated = 2;  // the county's dedicated account (no overdraft)
constexpr int64_t kSchool = 3;     // a school's allocation (no overdraft)
constexpr int64_t kPayable = 4;

LedgerAccount account(int64_t id, LedgerAccountKind kind, bool no_overdraft) {
  LedgerAccount a;
  a.id = id;
  a.org_id = 1;
  a.kind = kind;
  a.no_overdraft = no_overdraft;
  return a;
}

LedgerTransfer transfer(int64_t id, int64_t dr, int64_t cr, int64_t amount_fen,
                        TransferCode code = TransferCode::kReceipt, uint32_t flags = 0) {
  LedgerTransfer t;
  t.id = id;
  t.debit_account_id = dr;
  t.credit_account_id = cr;
  t.amount_fen = amount_fen;
  t.code = code;
  t.flags = flags;
  t.source = "中央财政";
  t.budget_doc = "财教〔2026〕1号";
  t.user_id = 7;
  return t;
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ledger.add_account(account(kCentral, LedgerAccountKind::kSourceCentral, false)));
    ASSERT_TRUE(ledger.add_account(account(kDedicated, LedgerAccountKind::kDedicated, true)));
    ASSERT_TRUE(ledger.add_account(account(kSchool, LedgerAccountKind::kSchoolAllocation, true)));
    ASSERT_TRUE(ledger.add_account(account(kPayable, LedgerAccountKind::kPayable, false)));
  }
  std::vector<R> apply(std::vector<LedgerTransfer> batch) {
    auto applied = ledger.apply(batch, 1000);
    EXPECT_TRUE(applied) << (applied ? "" : applied.error().message);
    return applied ? applied->results : std::vector<R>{};
  }
  R one(const LedgerTransfer& t) { return apply({t}).at(0); }
  const LedgerAccount& acc(int64_t id) { return *ledger.account(id); }
  Ledger ledger;
};

TEST_F(LedgerTest, ResultKeysAreStable) {
  EXPECT_EQ(transfer_result_key(R::kOk), "ok");
  EXPECT_EQ(transfer_result_key(R::kExistsWithDifferentAmountFen), "exists_with_different_amount_fen");
  EXPECT_EQ(transfer_result_key(R::kExceedsCredits), "exceeds_credits");
  EXPECT_FALSE(transfer_result_label(R::kExceedsCredits).empty());
}

TEST_F(LedgerTest, ReceiptMovesMoneyDoubleEntry) {
  EXPECT_EQ(one(transfer(10, kCentral, kDedicated, 500000)), R::kOk);
  EXPECT_EQ(acc(kCentral).debits_posted_fen, 500000);
  EXPECT_EQ(acc(kDedicated).credits_posted_fen, 500000);
  EXPECT_EQ(ledger.transfer(10)->timestamp_ms, 1000);
}

TEST_F(LedgerTest, ChangedAccountsAndCreatedAreReported) {
  auto applied = ledger.apply(std::vector{transfer(10, kCentral, kDedicated, 5)}, 1);
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->created.size(), 1u);
  EXPECT_EQ(applied->changed_accounts.size(), 2u);
}

TEST_F(LedgerTest, BasicValidation) {
  EXPECT_EQ(one(transfer(0, kCentral, kDedicated, 5)), R::kIdMustBePositive);
  EXPECT_EQ(one(transfer(11, kCentral, kDedicated, 0)), R::kAmountMustBePositive);
  EXPECT_EQ(one(transfer(12, kCentral, kDedicated, -5)), R::kAmountMustBePositive);
  EXPECT_EQ(one(transfer(13, kCentral, kCentral, 5)), R::kAccountsMustBeDifferent);
  EXPECT_EQ(one(transfer(14, 99, kDedicated, 5)), R::kDebitAccountNotFound);
  EXPECT_EQ(one(transfer(15, kCentral, 99, 5)), R::kCreditAccountNotFound);
  EXPECT_EQ(one(transfer(16, kCentral, kDedicated, 5, TransferCode::kReceipt, 1u << 7)), R::kFlagsUnknown);
  EXPECT_EQ(one(transfer(17, kCentral, kDedicated, 5, TransferCode::kReceipt, tf::kPending | tf::kVoidPending)),
            R::kFlagsAreMutuallyExclusive);
  auto t = transfer(18, kCentral, kDedicated, 5);
  t.pending_id = 3;
  EXPECT_EQ(one(t), R::kPendingIdMustBeZero);
  EXPECT_EQ(one(transfer(19, kCentral, kDedicated, 5, TransferCode::kReceipt, tf::kPostPending)),
            R::kPendingIdRequired);
  EXPECT_EQ(one(transfer(20, kDedicated, kCentral, 5, TransferCode::kCorrection)), R::kCorrectsIdRequired);
  t = transfer(21, kCentral, kDedicated, 5);
  t.corrects_id = 10;
  EXPECT_EQ(one(t), R::kCorrectsIdMustBeZero);
  EXPECT_EQ(ledger.transfer(11), nullptr);
}

TEST_F(LedgerTest, IdempotentRetryAndFirstDifferingField) {
  const auto t = transfer(10, kCentral, kDedicated, 500);
  EXPECT_EQ(one(t), R::kOk);
  EXPECT_EQ(one(t), R::kExists);
  EXPECT_EQ(acc(kDedicated).credits_posted_fen, 500);  // not twice
  auto d = t;
  d.amount_fen = 501;
  d.source = "x";  // amount comes before source in the fixed order
  EXPECT_EQ(one(d), R::kExistsWithDifferentAmountFen);
  d = t;
  d.source = "省级";
  EXPECT_EQ(one(d), R::kExistsWithDifferentSource);
  d = t;
  d.budget_doc = "";
  EXPECT_EQ(one(d), R::kExistsWithDifferentBudgetDoc);
  d = t;
  d.cycle_id = 3;
  EXPECT_EQ(one(d), R::kExistsWithDifferentCycleId);
  d = t;
  d.user_id = 8;
  EXPECT_EQ(one(d), R::kExistsWithDifferentUserId);
  d = t;
  d.credit_account_id = kSchool;
  EXPECT_EQ(one(d), R::kExistsWithDifferentCreditAccountId);
  d = t;
  d.flags = tf::kPending;
  EXPECT_EQ(one(d), R::kExistsWithDifferentFlags);
  // Within one batch, the second of two equal transfers is a retry.
  EXPECT_EQ(apply({transfer(30, kCentral, kDedicated, 1), transfer(30, kCentral, kDedicated, 1)}),
            (std::vector<R>{R::kOk, R::kExists}));
}

TEST_F(LedgerTest, NoOverdraftCountsPendingDebits) {
  EXPECT_EQ(one(transfer(10, kCentral, kDedicated, 1000)), R::kOk);
  EXPECT_EQ(one(transfer(11, kDedicated, kSchool, 1001, TransferCode::kAllocation)), R::kExceedsCredits);
  EXPECT_EQ(one(transfer(12, kDedicated, kSchool, 600, TransferCode::kAllocation, tf::kPending)), R::kOk);
  EXPECT_EQ(one(transfer(13, kDedicated, kSchool, 401, TransferCode::kAllocation)), R::kExceedsCredits);
  EXPECT_EQ(one(transfer(14, kDedicated, kSchool, 400, TransferCode::kAllocation)), R::kOk);
  // The source account allows debits beyond credits: money comes from outside.
  EXPECT_EQ(acc(kCentral).debits_posted_fen, 1000);
}

TEST_F(LedgerTest, PendingPostInPartReleasesTheRest) {
  ASSERT_EQ(one(transfer(10, kCentral, kDedicated, 1000)), R::kOk);
  ASSERT_EQ(one(transfer(11, kDedicated, kPayable, 700, TransferCode::kCommitment, tf::kPending)), R::kOk);
  EXPECT_EQ(acc(kDedicated).debits_pending_fen, 700);
  EXPECT_EQ(acc(kPayable).credits_pending_fen, 700);
  auto post = transfer(12, kDedicated, kPayable, 701, TransferCode::kPayment, tf::kPostPending);
  post.pending_id = 11;
  EXPECT_EQ(one(post), R::kExceedsPendingTransferAmount);
  post.amount_fen = 500;
  EXPECT_EQ(one(post), R::kOk);
  EXPECT_EQ(acc(kDedicated).debits_pending_fen, 0);
  EXPECT_EQ(acc(kDedicated).debits_posted_fen, 500);
  EXPECT_EQ(acc(kPayable).credits_pending_fen, 0);
  EXPECT_EQ(acc(kPayable).credits_posted_fen, 500);
  // Once only.
  auto again = transfer(13, kDedicated, kPayable, 100, TransferCode::kPayment, tf::kPostPending);
  again.pending_id = 11;
  EXPECT_EQ(one(again), R::kPendingTransferAlreadyPosted);
  auto void_it = transfer(14, kDedicated, kPayable, 700, TransferCode::kPayment, tf::kVoidPending);
  void_it.pending_id = 11;
  EXPECT_EQ(one(void_it), R::kPendingTransferAlreadyPosted);
}

TEST_F(LedgerTest, VoidReleasesAndOnlyOnce) {
  ASSERT_EQ(one(transfer(10, kCentral, kDedicated, 1000)), R::kOk);
  ASSERT_EQ(one(transfer(11, kDedicated, kPayable, 700, TransferCode::kCommitment, tf::kPending)), R::kOk);
  auto v = transfer(12, kDedicated, kPayable, 699, TransferCode::kPayment, tf::kVoidPending);
  v.pending_id = 11;
  EXPECT_EQ(one(v), R::kVoidAmountMustEqualPendingAmount);
  v.amount_fen = 700;
  v.debit_account_id = kSchool;
  EXPECT_EQ(one(v), R::kPendingTransferHasDifferentDebitAccountId);
  v.debit_account_id = kDedicated;
  EXPECT_EQ(one(v), R::kOk);
  EXPECT_EQ(acc(kDedicated).debits_pending_fen, 0);
  EXPECT_EQ(acc(kDedicated).debits_posted_fen, 0);
  auto p = transfer(13, kDedicated, kPayable, 700, TransferCode::kPayment, tf::kPostPending);
  p.pending_id = 11;
  EXPECT_EQ(one(p), R::kPendingTransferAlreadyVoided);
  p.pending_id = 10;
  EXPECT_EQ(one(p), R::kPendingTransferNotPending);
  p.pending_id = 77;
  EXPECT_EQ(one(p), R::kPendingTransferNotFound);
}

TEST_F(LedgerTest, LinkedChainFailsTogether) {
  ASSERT_EQ(one(transfer(10, kCentral, kDedicated, 1000)), R::kOk);
  const auto before_dedicated = acc(kDedicated);
  auto results = apply({transfer(20, kDedicated, kSchool, 300, TransferCode::kAllocation, tf::kLinked),
                        transfer(21, kDedicated, kSchool, 300, TransferCode::kAllocation, tf::kLinked),
                        transfer(22, kDedicated, kSchool, 500, TransferCode::kAllocation),  // overdraws
                        transfer(23, kCentral, kDedicated, 5)});
  EXPECT_EQ(results, (std::vector<R>{R::kLinkedEventFailed, R::kLinkedEventFailed, R::kExceedsCredits, R::kOk}));
  EXPECT_EQ(ledger.transfer(20), nullptr);
  EXPECT_EQ(ledger.transfer(21), nullptr);
  EXPECT_EQ(acc(kDedicated).debits_posted_fen, before_dedicated.debits_posted_fen);
  EXPECT_EQ(acc(kDedicated).credits_posted_fen, 1005);
  // A chain that succeeds.
  results = apply({transfer(30, kDedicated, kSchool, 300, TransferCode::kAllocation, tf::kLinked),
                   transfer(31, kDedicated, kSchool, 300, TransferCode::kAllocation)});
  EXPECT_EQ(results, (std::vector<R>{R::kOk, R::kOk}));
  // A chain left open at the end of the batch fails.
  results = apply({transfer(40, kDedicated, kSchool, 1, TransferCode::kAllocation, tf::kLinked)});
  EXPECT_EQ(results, (std::vector<R>{R::kLinkedEventChainOpen}));
  EXPECT_EQ(ledger.transfer(40), nullptr);
}

TEST_F(LedgerTest, LinkedChainUndoesPendingResolution) {
  ASSERT_EQ(one(transfer(10, kCentral, kDedicated, 1000)), R::kOk);
  ASSERT_EQ(one(transfer(11, kDedicated, kPayable, 700, TransferCode::kCommitment, tf::kPending)), R::kOk);
  auto post = transfer(12, kDedicated, kPayable, 700, TransferCode::kPayment, tf::kPostPending | tf::kLinked);
  post.pending_id = 11;
  auto results = apply({post, transfer(13, kCentral, 99, 1)});
  EXPECT_EQ(results, (std::vector<R>{R::kLinkedEventFailed, R::kCreditAccountNotFound}));
  EXPECT_FALSE(ledger.resolution(11).has_value());
  EXPECT_EQ(acc(kDedicated).debits_pending_fen, 700);
  post.flags = tf::kPostPending;
  EXPECT_EQ(one(post), R::kOk);
}

TEST_F(LedgerTest, CorrectionNamesAPostedTransferAndReversesIt) {
  ASSERT_EQ(one(transfer(10, kCentral, kDedicated, 1000)), R::kOk);
  ASSERT_EQ(one(transfer(11, kDedicated, kPayable, 100, TransferCode::kCommitment, tf::kPending)), R::kOk);
  auto c = transfer(20, kDedicated, kCentral, 200, TransferCode::kCorrection);
  c.corrects_id = 99;
  EXPECT_EQ(one(c), R::kCorrectedTransferNotFound);
  c.corrects_id = 11;
  c.debit_account_id = kPayable;
  c.credit_account_id = kDedicated;
  EXPECT_EQ(one(c), R::kCorrectedTransferNotPosted);
  c.corrects_id = 10;
  EXPECT_EQ(one(c), R::kCorrectionMustReverseAccounts);
  c.debit_account_id = kDedicated;
  c.credit_account_id = kCentral;
  c.amount_fen = 1001;
  EXPECT_EQ(one(c), R::kExceedsCorrectedAmount);
  c.amount_fen = 200;
  EXPECT_EQ(one(c), R::kOk);
  EXPECT_EQ(acc(kDedicated).debits_posted_fen, 200);
  EXPECT_EQ(acc(kCentral).credits_posted_fen, 200);
}

TEST_F(LedgerTest, OverflowIsRefused) {
  ASSERT_EQ(one(transfer(10, kCentral, kPayable, INT64_MAX)), R::kOk);
  EXPECT_EQ(one(transfer(11, kCentral, kDedicated, 1)), R::kOverflowsDebits);
  EXPECT_EQ(one(transfer(12, kDedicated, kPayable, 1)), R::kOverflowsCredits);
}

TEST_F(LedgerTest, BatchBounds) {
  std::vector<LedgerTransfer> none;
  EXPECT_FALSE(ledger.apply(none, 1));
  std::vector<LedgerTransfer> many(kBatchTransfersMax + 1, transfer(1, kCentral, kDedicated, 1));
  auto r = ledger.apply(many, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "BAD_VALUE");
  EXPECT_EQ(ledger.transfer(1), nullptr);
}

}  // namespace
}  // namespace zizhu::funds
