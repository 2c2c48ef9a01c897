#include "funds/ledger_check.h"

#include <array>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "funds/payment_ids.h"

namespace zizhu::funds {

namespace {

namespace flags = store::transfer_flags;
using store::LedgerAccount;
using store::LedgerTransfer;

struct InvariantText {
  std::string_view key;
  std::string_view label;
};

constexpr std::array<InvariantText, kLedgerInvariants> kInvariantTexts = {{
    {"debits_equal_credits", "借贷总额相等"},
    {"balance_matches_transfers", "账户余额与转账记录一致"},
    {"balance_not_negative", "余额不为负"},
    {"no_overdraft", "不允许透支的账户未透支"},
    {"transfer_well_formed", "转账记录完整（金额为正、账户存在且不同）"},
    {"pending_resolved_once", "每笔预留至多入账或撤销一次，且不超过预留金额"},
    {"correction_names_transfer", "更正转账指向已入账的原转账"},
    {"payment_confirmed", "每笔已入账的付款都有银行（或学校）确认，已付明细的款项全部入账"},
    {"paid_once", "同一学生同一学期至多一笔有效付款"},
    {"source_ceiling", "各资金来源付出的金额不超过其到账金额"},
}};

// Pages of this many rows: the walk's memory for rows in flight stays bounded.
constexpr int64_t kPageRows = 5000;
// A ledger larger than this is not one county's; refuse rather than run out of memory.
constexpr int64_t kTransfersMax = 200'000'000;

__extension__ typedef __int128 Wide;

struct Recomputed {
  Wide debits_pending = 0, debits_posted = 0, credits_pending = 0, credits_posted = 0;
};

struct Seen {
  uint32_t flags = 0;
  int64_t debit_account_id = 0;
  int64_t credit_account_id = 0;
  int64_t amount_fen = 0;
  bool resolved = false;
};

std::string wide_text(Wide v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  std::string digits;
  while (v != 0) {
    const int d = static_cast<int>(v % 10);
    digits.insert(digits.begin(), static_cast<char>('0' + (d < 0 ? -d : d)));
    v /= 10;
  }
  return negative ? "-" + digits : digits;
}

// What the walk over the transfers keeps of payments, for the checks that
// join them with the payment lines.
struct PaymentShare {
  int64_t amount_fen = 0;
  int64_t debit_account_id = 0;
  int source = -1;  // index into kSourceKindKeys; -1 when unknown
  bool voided = false;
};
struct PaymentFacts {
  std::unordered_map<int64_t, PaymentShare> shares;      // pending payment transfer id -> share
  std::unordered_map<int64_t, int64_t> posted_by_line;   // line id -> fen posted
  std::set<int64_t> lines_with_posts;
  std::vector<std::pair<int64_t, int64_t>> stray;         // payment transfers with no line id (id, line)
};

class Checker {
 public:
  void note(LedgerInvariant inv, std::string detail) {
    ++report.problems_total;
    if (report.problems.size() < kProblemsListedMax) report.problems.push_back({inv, std::move(detail)});
  }
  LedgerCheckReport report;
};

// The payment lines against the payment transfers: confirmation, once per
// student and term, and the sources' ceilings.
Result<void> check_payments(store::Store& store, const std::map<int64_t, LedgerAccount>& accounts,
                            const PaymentFacts& pay, Checker& c) {
  std::set<std::tuple<int64_t, int, int64_t>> live;  // (cycle, term, student)
  std::unordered_map<int64_t, int64_t> county_of_batch;
  std::unordered_map<int64_t, int64_t> county_of_line;
  std::set<int64_t> known_lines;
  for (int64_t after = 0;;) {
    auto page = store.payment_lines_after(after, kPageRows);
    if (!page) return tl::unexpected(page.error());
    for (const auto& l : *page) {
      after = l.id;
      known_lines.insert(l.id);
      const std::string who = "payment line " + l.line_no;
      if (l.status == "prepared" || l.status == "pending" || l.status == "paid" || l.status == "returned") {
        if (!live.insert({l.cycle_id, l.term, l.student_id}).second) {
          c.note(LedgerInvariant::kPaidOnce, who + ": student " + std::to_string(l.student_id) + " has another line for term " +
                                                 std::to_string(l.term) + " of cycle " + std::to_string(l.cycle_id));
        }
      }
      auto posted = pay.posted_by_line.find(l.id);
      const int64_t posted_fen = posted == pay.posted_by_line.end() ? 0 : posted->second;
      if (l.status == "paid") {
        if (posted_fen != l.amount_fen) {
          c.note(LedgerInvariant::kPaymentConfirmed, who + ": paid " + std::to_string(l.amount_fen) + " fen, posted " +
                                                         std::to_string(posted_fen) + " fen");
        }
        if (l.bank_ref.empty() || l.processed_on.empty()) {
          c.note(LedgerInvariant::kPaymentConfirmed, who + ": paid without a bank reference and date");
        }
      } else if (posted_fen != 0) {
        c.note(LedgerInvariant::kPaymentConfirmed, who + ": " + std::to_string(posted_fen) + " fen posted but the line is " +
                                                       l.status);
      }
      auto county = county_of_batch.find(l.batch_id);
      if (county == county_of_batch.end()) {
        auto b = store.get_payment_batch(l.batch_id);
        if (!b) return tl::unexpected(b.error());
        county = county_of_batch.emplace(l.batch_id, *b ? (*b)->county_id : 0).first;
      }
      county_of_line[l.id] = county->second;
    }
    if (static_cast<int64_t>(page->size()) < kPageRows) break;
  }
  for (int64_t line : pay.lines_with_posts) {
    if (known_lines.count(line) == 0) {
      c.note(LedgerInvariant::kPaymentConfirmed, "payment posted for line id " + std::to_string(line) +
                                                     " which is not a payment line");
    }
  }
  // Per county and source kind: what payments hold (not voided) against what
  // the source account gave (its posted debits less posted credits).
  std::map<std::pair<int64_t, int>, Wide> used;
  for (const auto& [id, share] : pay.shares) {
    if (share.voided || share.source < 0) continue;
    const auto line = payment_line_of(id);
    auto county = line ? county_of_line.find(*line) : county_of_line.end();
    if (county == county_of_line.end()) {
      c.note(LedgerInvariant::kPaymentConfirmed, "payment share " + std::to_string(id) + " has no payment line");
      continue;
    }
    used[{county->second, share.source}] += share.amount_fen;
  }
  for (const auto& [key, fen] : used) {
    const int64_t source_account = ledger_account_id(key.first, key.second);
    auto a = accounts.find(source_account);
    const Wide provided = a == accounts.end() ? 0
                                              : static_cast<Wide>(a->second.debits_posted_fen) - a->second.credits_posted_fen;
    if (fen > provided) {
      c.note(LedgerInvariant::kSourceCeiling, "county org " + std::to_string(key.first) + ", source " +
                                                  std::string(kSourceKindKeys[static_cast<size_t>(key.second)]) + ": paid " +
                                                  wide_text(fen) + " fen > provided " + wide_text(provided) + " fen");
    }
  }
  return {};
}

}  // namespace

std::string_view ledger_invariant_key(LedgerInvariant invariant) {
  return kInvariantTexts[static_cast<size_t>(invariant)].key;
}

std::string_view ledger_invariant_label(LedgerInvariant invariant) {
  return kInvariantTexts[static_cast<size_t>(invariant)].label;
}

Result<LedgerCheckReport> check_ledger(store::Store& store) {
  if (auto ok = store.begin_read(); !ok) return tl::unexpected(ok.error());
  struct EndRead {
    store::Store& s;
    ~EndRead() { (void)s.rollback(); }
  } end_read{store};

  Checker c;
  std::map<int64_t, LedgerAccount> stored;  // in id order: problems are listed in a stable order
  std::unordered_map<int64_t, Recomputed> replayed;
  for (int64_t after = 0;;) {  // bounded: ids only grow, pages are finite
    auto page = store.ledger_accounts_after(after, kPageRows);
    if (!page) return tl::unexpected(page.error());
    for (const LedgerAccount& a : *page) {
      stored.emplace(a.id, a);
      replayed.emplace(a.id, Recomputed{});
      after = a.id;
    }
    if (static_cast<int64_t>(page->size()) < kPageRows) break;
  }
  c.report.accounts = static_cast<int64_t>(stored.size());

  std::unordered_map<int64_t, Seen> seen;
  std::unordered_map<int64_t, Wide> corrected;  // transfer id -> what its corrections undid
  PaymentFacts pay;
  for (int64_t after = 0;;) {
    auto page = store.ledger_transfers_after(after, kPageRows);
    if (!page) return tl::unexpected(page.error());
    for (const LedgerTransfer& t : *page) {
      after = t.seq;
      if (++c.report.transfers > kTransfersMax) return fail("TOO_LARGE", "账本过大，无法检查 (ledger too large)");
      const std::string who = "transfer " + std::to_string(t.id);
      auto dr = replayed.find(t.debit_account_id);
      auto cr = replayed.find(t.credit_account_id);
      if (t.amount_fen <= 0 || dr == replayed.end() || cr == replayed.end() ||
          t.debit_account_id == t.credit_account_id || (t.flags & ~flags::kAll) != 0 ||
          seen.count(t.id) != 0) {
        c.note(LedgerInvariant::kTransferWellFormed, who);
        continue;
      }
      Seen& self = seen[t.id];
      self = Seen{t.flags, t.debit_account_id, t.credit_account_id, t.amount_fen, false};
      if ((t.flags & (flags::kPostPending | flags::kVoidPending)) != 0) {
        auto p = seen.find(t.pending_id);
        if (p == seen.end() || (p->second.flags & flags::kPending) == 0 || p->second.resolved ||
            p->second.debit_account_id != t.debit_account_id || p->second.credit_account_id != t.credit_account_id ||
            t.amount_fen > p->second.amount_fen ||
            ((t.flags & flags::kVoidPending) != 0 && t.amount_fen != p->second.amount_fen)) {
          c.note(LedgerInvariant::kPendingResolvedOnce, who + " -> pending " + std::to_string(t.pending_id));
          continue;
        }
        p->second.resolved = true;
        dr->second.debits_pending -= p->second.amount_fen;
        cr->second.credits_pending -= p->second.amount_fen;
        if ((t.flags & flags::kPostPending) != 0) {
          dr->second.debits_posted += t.amount_fen;
          cr->second.credits_posted += t.amount_fen;
        }
      } else if ((t.flags & flags::kPending) != 0) {
        dr->second.debits_pending += t.amount_fen;
        cr->second.credits_pending += t.amount_fen;
      } else {
        dr->second.debits_posted += t.amount_fen;
        cr->second.credits_posted += t.amount_fen;
      }
      if (t.code == store::TransferCode::kPayment) {
        const auto line = payment_line_of(t.id);
        if (!line) {
          c.note(LedgerInvariant::kPaymentConfirmed, who + ": a payment outside the payment lines' ids");
        } else if ((t.flags & flags::kPending) != 0) {
          int source = -1;
          for (size_t k = 0; k < kSourceKindKeys.size(); ++k) {
            if (kSourceKindKeys[k] == t.source) source = static_cast<int>(k);
          }
          if (source < 0) c.note(LedgerInvariant::kSourceCeiling, who + ": unknown source '" + t.source + "'");
          pay.shares[t.id] = PaymentShare{t.amount_fen, t.debit_account_id, source, false};
        } else if ((t.flags & flags::kVoidPending) != 0) {
          if (auto s = pay.shares.find(t.pending_id); s != pay.shares.end()) s->second.voided = true;
        } else if ((t.flags & flags::kPostPending) != 0) {
          pay.posted_by_line[*line] += t.amount_fen;
          pay.lines_with_posts.insert(*line);
        }
      }
      if (t.code == store::TransferCode::kCorrection || t.corrects_id != 0) {
        auto o = seen.find(t.corrects_id);
        if (t.code != store::TransferCode::kCorrection || o == seen.end() || t.corrects_id == t.id ||
            (o->second.flags & (flags::kPending | flags::kVoidPending)) != 0) {
          c.note(LedgerInvariant::kCorrectionNamesTransfer, who + " -> corrects " + std::to_string(t.corrects_id));
        } else if ((corrected[t.corrects_id] += t.amount_fen) > o->second.amount_fen) {
          c.note(LedgerInvariant::kCorrectionNamesTransfer,
                 who + ": the corrections of " + std::to_string(t.corrects_id) + " undo " +
                     wide_text(corrected[t.corrects_id]) + " fen, more than its " +
                     std::to_string(o->second.amount_fen) + " fen");
        }
      }
    }
    if (static_cast<int64_t>(page->size()) < kPageRows) break;
  }
  for (const auto& [id, s] : seen) {
    if ((s.flags & flags::kPending) != 0 && !s.resolved) ++c.report.pending_open;
  }

  Wide dp = 0, dpo = 0, cp = 0, cpo = 0;
  for (const auto& [id, a] : stored) {
    const Recomputed& r = replayed.at(id);
    const std::string who = "account " + std::to_string(id);
    dp += a.debits_pending_fen;
    dpo += a.debits_posted_fen;
    cp += a.credits_pending_fen;
    cpo += a.credits_posted_fen;
    if (r.debits_pending != a.debits_pending_fen || r.debits_posted != a.debits_posted_fen ||
        r.credits_pending != a.credits_pending_fen || r.credits_posted != a.credits_posted_fen) {
      c.note(LedgerInvariant::kBalanceMatchesTransfers,
             who + ": stored " + std::to_string(a.debits_pending_fen) + "/" + std::to_string(a.debits_posted_fen) +
                 "/" + std::to_string(a.credits_pending_fen) + "/" + std::to_string(a.credits_posted_fen) +
                 ", replayed " + wide_text(r.debits_pending) + "/" + wide_text(r.debits_posted) + "/" +
                 wide_text(r.credits_pending) + "/" + wide_text(r.credits_posted) +
                 " (debits pending/posted, credits pending/posted, fen)");
    }
    if (a.debits_pending_fen < 0 || a.debits_posted_fen < 0 || a.credits_pending_fen < 0 ||
        a.credits_posted_fen < 0) {
      c.note(LedgerInvariant::kBalanceNotNegative, who);
    }
    if (a.no_overdraft && static_cast<Wide>(a.debits_pending_fen) + a.debits_posted_fen > a.credits_posted_fen) {
      c.note(LedgerInvariant::kNoOverdraft, who + ": debits " +
                                                wide_text(static_cast<Wide>(a.debits_pending_fen) + a.debits_posted_fen) +
                                                " > credits posted " + std::to_string(a.credits_posted_fen) + " fen");
    }
  }
  if (dp != cp) {
    c.note(LedgerInvariant::kDebitsEqualCredits, "pending: debits " + wide_text(dp) + ", credits " + wide_text(cp));
  }
  if (auto ok = check_payments(store, stored, pay, c); !ok) return tl::unexpected(ok.error());
  if (dpo != cpo) {
    c.note(LedgerInvariant::kDebitsEqualCredits, "posted: debits " + wide_text(dpo) + ", credits " + wide_text(cpo));
  }
  return std::move(c.report);
}

}  // namespace zizhu::funds
