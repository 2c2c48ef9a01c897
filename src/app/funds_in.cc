#include "app/funds_in.h"

#include <array>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "funds/ledger.h"
#include "funds/assert.h"
#include "funds/ledger_service.h"
#include "funds/payment_ids.h"

namespace zizhu::app {

namespace {

using store::LedgerAccountKind;

constexpr const auto& kSourceKeys = funds::kSourceKindKeys;
constexpr std::array<std::string_view, 5> kSourceLabels = {"中央财政", "省级财政", "市县财政", "社会捐助", "学校自筹"};
constexpr std::array<LedgerAccountKind, 5> kSourceAccounts = {
    LedgerAccountKind::kSourceCentral, LedgerAccountKind::kSourceProvincial, LedgerAccountKind::kSourceLocal,
    LedgerAccountKind::kSourceDonor, LedgerAccountKind::kSourceSchool};

// A filing's commitment: its own transfer id, above every client's; its
// post 2^40 further (filing ids stay below 2^40).
constexpr int64_t kCommitmentIdBase = int64_t{1} << 41;
constexpr int64_t kCommitmentPostIdBase = kCommitmentIdBase + (int64_t{1} << 40);

constexpr size_t kSourceNameBytesMax = 120;
constexpr size_t kBudgetDocBytesMax = 120;

std::string_view kind_label(LedgerAccountKind kind) {
  switch (kind) {
    case LedgerAccountKind::kSourceCentral: return "中央财政资金";
    case LedgerAccountKind::kSourceProvincial: return "省级财政资金";
    case LedgerAccountKind::kSourceLocal: return "市县财政资金";
    case LedgerAccountKind::kSourceDonor: return "社会捐助资金";
    case LedgerAccountKind::kSourceSchool: return "学校自筹资金";
    case LedgerAccountKind::kDedicated: return "资助专户";
    case LedgerAccountKind::kSchoolAllocation: return "学校分配额度";
    case LedgerAccountKind::kPayable: return "应付学生资助";
    case LedgerAccountKind::kPaidOut: return "已发放";
    case LedgerAccountKind::kReturned: return "已退回";
  }
  return "";
}

// The dedicated account, a school's allocation and what is payable never
// give out more than they received.
bool no_overdraft(LedgerAccountKind kind) {
  return kind == LedgerAccountKind::kDedicated || kind == LedgerAccountKind::kSchoolAllocation ||
         kind == LedgerAccountKind::kPayable;
}

}  // namespace

Result<void> ensure_fund_accounts(App& app, store::Store& store,
                                  std::initializer_list<std::pair<int64_t, LedgerAccountKind>> wanted) {
  std::vector<int64_t> ids;
  for (const auto& [org, kind] : wanted) ids.push_back(fund_account_id(org, kind));
  auto found = store.ledger_accounts(ids);
  if (!found) return tl::unexpected(found.error());
  for (const auto& [org, kind] : wanted) {
    const int64_t id = fund_account_id(org, kind);
    bool present = false;
    for (const auto& a : *found) present = present || a.id == id;
    if (present) continue;
    store::LedgerAccount a;
    a.id = id;
    a.org_id = org;
    a.kind = kind;
    a.no_overdraft = no_overdraft(kind);
    a.created_at_ms = app.now_ms();
    if (auto ok = store.create_ledger_account(a); !ok) return tl::unexpected(ok.error());
  }
  return {};
}

namespace {

// One transfer through the ledger; "exists" is a success (a retry).
Result<FundTransferView> transfer(App& app, store::Store& store, const store::LedgerTransfer& t) {
  auto applied = funds::apply_in_transaction(store, std::span<const store::LedgerTransfer>(&t, 1), app.now_ms());
  if (!applied) return tl::unexpected(applied.error());
  const funds::TransferResult r = applied->results.at(0);
  if (!funds::transfer_accepted(r)) {
    return fail("LEDGER", std::string(funds::transfer_result_label(r)) + " (" +
                              std::string(funds::transfer_result_key(r)) + ")");
  }
  FundTransferView v;
  v.id = t.id;
  v.result = r == funds::TransferResult::kOk ? "ok" : "exists";
  v.code = std::string(store::transfer_code_key(t.code));
  v.amount = format_yuan(Fen::from_fen(t.amount_fen));
  v.debit_account_id = t.debit_account_id;
  v.credit_account_id = t.credit_account_id;
  v.pending = (t.flags & store::transfer_flags::kPending) != 0;
  return v;
}

Result<void> check_client_id(int64_t id) {
  if (id < 1 || id > kClientTransferIdMax) {
    return field_error("BAD_VALUE", "转账编号须为 1 至 2^40-1 之间的整数（重试时使用同一编号）", "transfer_id");
  }
  return {};
}

Result<void> check_amount(Fen amount) {
  if (amount.value() <= 0) return field_error("BAD_VALUE", "金额须大于 0", "amount");
  return {};
}

Result<void> at_county(const Actor& actor) {
  if (actor.org_kind != store::OrgKind::kCounty) return fail("RULE", "资金到账和分配由区县财务办理：当前账号不属于区县");
  return {};
}

// The cycle, when given, must be one of the actor's county.
Result<void> check_cycle(store::Store& store, const Actor& actor, const std::optional<int64_t>& cycle_id) {
  if (!cycle_id) return {};
  auto cycle = managed_cycle(store, actor, *cycle_id);
  if (!cycle) return field_error("NOT_FOUND", "资助周期不存在", "cycle_id");
  return {};
}

FundAccountView view_of(const store::LedgerAccount& a, const store::OrgNode& node) {
  FundAccountView v;
  v.id = a.id;
  v.org_code = node.code;
  v.org_name = node.name;
  v.kind = std::string(store::ledger_account_kind_key(a.kind));
  v.kind_label = std::string(kind_label(a.kind));
  v.debits_posted = format_yuan(Fen::from_fen(a.debits_posted_fen));
  v.credits_posted = format_yuan(Fen::from_fen(a.credits_posted_fen));
  v.debits_pending = format_yuan(Fen::from_fen(a.debits_pending_fen));
  v.credits_pending = format_yuan(Fen::from_fen(a.credits_pending_fen));
  v.balance = format_yuan(Fen::from_fen(a.credits_posted_fen - a.debits_posted_fen));
  return v;
}

}  // namespace

std::optional<FundSource> parse_fund_source(std::string_view key) {
  for (size_t i = 0; i < kSourceKeys.size(); ++i) {
    if (kSourceKeys[i] == key) return static_cast<FundSource>(i);
  }
  return std::nullopt;
}

std::string_view fund_source_key(FundSource source) { return kSourceKeys[static_cast<size_t>(source)]; }
std::string_view fund_source_label(FundSource source) { return kSourceLabels[static_cast<size_t>(source)]; }
LedgerAccountKind fund_source_account_kind(FundSource source) { return kSourceAccounts[static_cast<size_t>(source)]; }

int64_t commitment_transfer_id(int64_t filing_id) { return kCommitmentIdBase + filing_id; }
int64_t commitment_post_transfer_id(int64_t filing_id) { return kCommitmentPostIdBase + filing_id; }

int64_t fund_account_id(int64_t org_id, store::LedgerAccountKind kind) {
  return funds::ledger_account_id(org_id, static_cast<int>(kind));
}

Result<std::vector<FundAccountView>> fund_accounts(App&, store::Store& store, const Actor& actor,
                                                   const std::optional<std::string>& county_code) {
  std::string path = actor.org_path;
  if (county_code) {
    auto county = store.find_org_node(*county_code);
    if (!county) return tl::unexpected(county.error());
    if (!*county || (*county)->kind != store::OrgKind::kCounty || !actor.in_scope((*county)->path)) {
      return field_error("NOT_FOUND", "区县不存在", "county");
    }
    path = (*county)->path;
  }
  auto nodes = store.org_subtree(path);
  if (!nodes) return tl::unexpected(nodes.error());
  std::vector<int64_t> ids;
  for (const auto& n : *nodes) {
    for (size_t k = 0; k < store::kLedgerAccountKinds; ++k) {
      ids.push_back(fund_account_id(n.id, static_cast<LedgerAccountKind>(k)));
    }
  }
  auto found = store.ledger_accounts(ids);
  if (!found) return tl::unexpected(found.error());
  std::vector<FundAccountView> out;
  for (const auto& a : *found) {
    for (const auto& n : *nodes) {
      if (n.id == a.org_id) out.push_back(view_of(a, n));
    }
  }
  return out;
}

Result<FundTransferView> record_receipt(App& app, store::Store& store, const Actor& actor, int64_t transfer_id,
                                        FundSource source, std::string_view source_name, Fen amount,
                                        std::string_view budget_doc, std::optional<int64_t> cycle_id) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_client_id(transfer_id); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_amount(amount); !ok) return tl::unexpected(ok.error());
  if (source == FundSource::kDonor && source_name.empty()) {
    return field_error("BAD_VALUE", "社会捐助须填写捐助方名称", "source_name");
  }
  if (source_name.size() > kSourceNameBytesMax) return field_error("BAD_VALUE", "名称过长", "source_name");
  if (budget_doc.size() > kBudgetDocBytesMax) return field_error("BAD_VALUE", "文号过长", "budget_doc");
  const bool fiscal = source == FundSource::kCentral || source == FundSource::kProvincial || source == FundSource::kLocal;
  if (fiscal && budget_doc.empty()) return field_error("BAD_VALUE", "财政资金须填写预算文件号", "budget_doc");
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  if (auto ok = check_cycle(store, actor, cycle_id); !ok) return tl::unexpected(ok.error());
  const LedgerAccountKind from = kSourceAccounts[static_cast<size_t>(source)];
  if (auto ok = ensure_fund_accounts(app, store, {{actor.org_id, from}, {actor.org_id, LedgerAccountKind::kDedicated}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  store::LedgerTransfer t;
  t.id = transfer_id;
  t.debit_account_id = fund_account_id(actor.org_id, from);
  t.credit_account_id = fund_account_id(actor.org_id, LedgerAccountKind::kDedicated);
  t.amount_fen = amount.value();
  t.code = store::TransferCode::kReceipt;
  t.cycle_id = cycle_id;
  t.source = source_name.empty() ? std::string(fund_source_label(source)) : std::string(source_name);
  t.budget_doc = std::string(budget_doc);
  t.user_id = actor.user_id;
  auto v = transfer(app, store, t);
  if (!v) return tl::unexpected(v.error());
  if (v->result == "ok") {
    if (auto ok = record(app, store, actor,
                         {"funds.receipt", "transfer", std::to_string(transfer_id), "ok",
                          summary_json({{"source", kSourceKeys[static_cast<size_t>(source)]},
                                        {"name", t.source},
                                        {"amount", v->amount},
                                        {"budget_doc", budget_doc}})});
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return v;
}

Result<FundTransferView> correct_receipt(App& app, store::Store& store, const Actor& actor, int64_t transfer_id,
                                         int64_t receipt_id, Fen amount, std::string_view reason) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_client_id(transfer_id); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_amount(amount); !ok) return tl::unexpected(ok.error());
  if (reason.empty() || reason.size() > kSourceNameBytesMax) {
    return field_error("BAD_VALUE", "请说明更正原因（最多 40 字）", "reason");
  }
  if (auto ok = refuse_id_like_digits(reason, "reason"); !ok) return tl::unexpected(ok.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto found = store.ledger_transfers({receipt_id});
  if (!found) return tl::unexpected(found.error());
  std::optional<FundSource> source;
  if (!found->empty() && found->front().code == store::TransferCode::kReceipt) {
    for (size_t k = 0; k < kFundSources; ++k) {
      if (found->front().debit_account_id == fund_account_id(actor.org_id, kSourceAccounts[k])) {
        source = static_cast<FundSource>(k);
      }
    }
  }
  if (!source) return field_error("NOT_FOUND", "到账记录不存在", "receipt_id");
  const store::LedgerTransfer& receipt = found->front();
  store::LedgerTransfer t;
  t.id = transfer_id;
  t.debit_account_id = receipt.credit_account_id;
  t.credit_account_id = receipt.debit_account_id;
  t.amount_fen = amount.value();
  t.code = store::TransferCode::kCorrection;
  t.corrects_id = receipt_id;
  t.cycle_id = receipt.cycle_id;
  t.source = receipt.source;
  t.budget_doc = receipt.budget_doc;
  t.user_id = actor.user_id;
  auto again = store.ledger_transfers({transfer_id});
  if (!again) return tl::unexpected(again.error());
  if (again->empty()) {
    // What the source provided after this correction must still cover what
    // payments hold from it.
    auto accounts = store.ledger_accounts({receipt.debit_account_id});
    if (!accounts) return tl::unexpected(accounts.error());
    const int64_t provided_fen =
        accounts->empty() ? 0 : accounts->front().debits_posted_fen - accounts->front().credits_posted_fen;
    auto used = store.payment_use_by_source(actor.org_path);
    if (!used) return tl::unexpected(used.error());
    int64_t used_fen = 0;
    for (const auto& [key, fen] : *used) {
      if (key == kSourceKeys[static_cast<size_t>(*source)]) used_fen += fen;
    }
    if (provided_fen - amount.value() < used_fen) {
      return fail("RULE", std::string(fund_source_label(*source)) + "已发放（含银行处理中）" +
                              format_yuan(Fen::from_fen(used_fen)) + " 元，更正后到账只剩 " +
                              format_yuan(Fen::from_fen(provided_fen - amount.value())) + " 元：不能更正这么多");
    }
  }
  auto v = transfer(app, store, t);
  if (!v) return tl::unexpected(v.error());
  if (v->result == "ok") {
    if (auto ok = record(app, store, actor,
                         {"funds.correct", "transfer", std::to_string(transfer_id), "ok",
                          summary_json({{"receipt", std::to_string(receipt_id)},
                                        {"amount", v->amount},
                                        {"reason", reason}})});
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return v;
}

Result<FundTransferView> allocate_to_school(App& app, store::Store& store, const Actor& actor, int64_t transfer_id,
                                            std::string_view school_code, Fen amount,
                                            std::optional<int64_t> cycle_id) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_client_id(transfer_id); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_amount(amount); !ok) return tl::unexpected(ok.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto school = store.find_school(school_code);
  if (!school) return tl::unexpected(school.error());
  if (!*school || (*school)->county_id != actor.org_id) return field_error("NOT_FOUND", "学校不存在", "school_code");
  if (auto ok = check_cycle(store, actor, cycle_id); !ok) return tl::unexpected(ok.error());
  const int64_t school_id = (*school)->org_id;
  if (auto ok = ensure_fund_accounts(app, store, {{actor.org_id, LedgerAccountKind::kDedicated},
                                             {school_id, LedgerAccountKind::kSchoolAllocation}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  store::LedgerTransfer t;
  t.id = transfer_id;
  t.debit_account_id = fund_account_id(actor.org_id, LedgerAccountKind::kDedicated);
  t.credit_account_id = fund_account_id(school_id, LedgerAccountKind::kSchoolAllocation);
  t.amount_fen = amount.value();
  t.code = store::TransferCode::kAllocation;
  t.cycle_id = cycle_id;
  t.user_id = actor.user_id;
  auto v = transfer(app, store, t);
  if (!v) return tl::unexpected(v.error());
  if (v->result == "ok") {
    if (auto ok = record(app, store, actor,
                         {"funds.allocate", "transfer", std::to_string(transfer_id), "ok",
                          summary_json({{"school", school_code}, {"amount", v->amount}})});
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return v;
}

namespace {

// A filing's commitment: a pending transfer from the school's allocation to
// what is payable to its students. The user is not part of its identity:
// whoever commits the filing again (or a batch's approval) gets "exists".
store::LedgerTransfer commitment_of(const store::Filing& f, int64_t amount_fen) {
  store::LedgerTransfer t;
  t.id = commitment_transfer_id(f.id);
  t.debit_account_id = fund_account_id(f.school_id, LedgerAccountKind::kSchoolAllocation);
  t.credit_account_id = fund_account_id(f.school_id, LedgerAccountKind::kPayable);
  t.amount_fen = amount_fen;
  t.code = store::TransferCode::kCommitment;
  t.flags = store::transfer_flags::kPending;
  t.cycle_id = f.cycle_id;
  t.source = "filing " + std::to_string(f.id) + " " + f.snapshot_sm3;
  t.user_id = 0;
  return t;
}

}  // namespace

Result<std::vector<store::LedgerTransfer>> commitment_transfers(store::Store& store, int64_t cycle_id,
                                                                int64_t school_id, bool post) {
  auto filings = store.filings_of(cycle_id, school_id);
  if (!filings) return tl::unexpected(filings.error());
  std::vector<int64_t> ids;
  for (const auto& f : *filings) {
    if (f.state != "APPROVED") continue;
    ids.push_back(commitment_transfer_id(f.id));
    ids.push_back(commitment_post_transfer_id(f.id));
  }
  std::vector<store::LedgerTransfer> out;
  if (ids.empty()) return out;
  auto existing = store.ledger_transfers(ids);
  if (!existing) return tl::unexpected(existing.error());
  auto find = [&](int64_t id) -> const store::LedgerTransfer* {
    for (const auto& t : *existing) {
      if (t.id == id) return &t;
    }
    for (const auto& t : out) {
      if (t.id == id) return &t;
    }
    return nullptr;
  };
  int64_t committed_fen = 0;
  const store::Filing* newest = nullptr;
  for (const auto& f : *filings) {
    if (f.state != "APPROVED") continue;
    newest = &f;  // oldest first
    if (const auto* c = find(commitment_transfer_id(f.id))) committed_fen += c->amount_fen;
  }
  if (newest != nullptr && find(commitment_transfer_id(newest->id)) == nullptr) {
    const int64_t want_fen = newest->total.value() - committed_fen;
    if (want_fen > 0) out.push_back(commitment_of(*newest, want_fen));
  }
  if (!post) return out;
  const size_t commitments = out.size();
  for (const auto& f : *filings) {
    if (f.state != "APPROVED") continue;
    const store::LedgerTransfer* c = find(commitment_transfer_id(f.id));
    if (c == nullptr || find(commitment_post_transfer_id(f.id)) != nullptr) continue;
    store::LedgerTransfer p;
    p.id = commitment_post_transfer_id(f.id);
    p.debit_account_id = c->debit_account_id;
    p.credit_account_id = c->credit_account_id;
    p.amount_fen = c->amount_fen;
    p.code = store::TransferCode::kCommitment;
    p.flags = store::transfer_flags::kPostPending;
    p.pending_id = c->id;
    p.cycle_id = c->cycle_id;
    p.user_id = 0;
    out.push_back(p);
  }
  ZIZHU_LEDGER_ASSERT(out.size() >= commitments);
  return out;
}

Result<FundTransferView> commit_filing(App& app, store::Store& store, const Actor& actor, int64_t filing_id) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto f = store.get_filing(filing_id);
  if (!f) return tl::unexpected(f.error());
  auto cycle = *f ? store.get_cycle((*f)->cycle_id) : Result<std::optional<store::Cycle>>(std::nullopt);
  if (!cycle) return tl::unexpected(cycle.error());
  if (!*f || !*cycle || (*cycle)->county_id != actor.org_id) return field_error("NOT_FOUND", "备案不存在", "filing_id");
  if ((*f)->state != "APPROVED") return fail("STATE_CONFLICT", "名单尚未备案通过，不能承诺资金");
  const int64_t school_id = (*f)->school_id;
  if (auto ok = ensure_fund_accounts(app, store, {{school_id, LedgerAccountKind::kSchoolAllocation},
                                                  {school_id, LedgerAccountKind::kPayable}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  // Committed already: the same transfer again answers "exists".
  auto existing = store.ledger_transfers({commitment_transfer_id(filing_id)});
  if (!existing) return tl::unexpected(existing.error());
  store::LedgerTransfer t;
  if (!existing->empty()) {
    t = existing->front();
  } else {
    auto wanted = commitment_transfers(store, (*f)->cycle_id, school_id, false);
    if (!wanted) return tl::unexpected(wanted.error());
    if (wanted->empty() || wanted->front().id != commitment_transfer_id(filing_id)) {
      return fail("RULE", "无需承诺：该名单不是本校本周期最新的备案名单，或其金额未超过已承诺的金额");
    }
    t = wanted->front();
  }
  auto v = transfer(app, store, t);
  if (!v) return tl::unexpected(v.error());
  if (v->result == "ok") {
    if (auto ok = record(app, store, actor,
                         {"funds.commit", "filing", std::to_string(filing_id), "ok",
                          summary_json({{"school", (*f)->school_code}, {"amount", v->amount},
                                        {"transfer_id", std::to_string(t.id)}})});
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return v;
}

}  // namespace zizhu::app

namespace zizhu::app {

namespace {

Result<Page<FundTransferItem>> transfer_list(store::Store& store, const Actor& actor, std::string_view code,
                                             std::optional<int64_t> cycle_id, const PageRequest& page) {
  if (cycle_id) {
    auto cycle = visible_cycle(store, actor, *cycle_id);
    if (!cycle) return field_error("NOT_FOUND", "资助周期不存在", "cycle_id");
  }
  auto found = store.fund_transfer_page(actor.org_path, code, cycle_id, page.offset(), page.page_size);
  if (!found) return tl::unexpected(found.error());
  Page<FundTransferItem> out;
  out.total = found->total;
  for (const auto& r : found->rows) {
    FundTransferItem v;
    v.id = r.id;
    if (code == "receipt") {
      for (size_t k = 0; k < kFundSources; ++k) {
        if (store::ledger_account_kind_key(kSourceAccounts[k]) == r.debit_kind) {
          v.source = std::string(kSourceKeys[k]);
          v.source_label = std::string(kSourceLabels[k]);
        }
      }
      v.source_name = r.source;
    } else {
      v.school_code = r.credit_org_code;
      v.school_name = r.credit_org_name;
    }
    v.budget_doc = r.budget_doc;
    v.amount = format_yuan(Fen::from_fen(r.amount_fen));
    v.corrected = format_yuan(Fen::from_fen(r.corrected_fen));
    if (r.cycle_id != 0) v.cycle_id = r.cycle_id;
    v.booked_by = r.username;
    v.booked_at_ms = r.timestamp_ms;
    out.items.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Result<Page<FundTransferItem>> list_receipts(App&, store::Store& store, const Actor& actor,
                                             std::optional<int64_t> cycle_id, const PageRequest& page) {
  return transfer_list(store, actor, "receipt", cycle_id, page);
}

Result<Page<FundTransferItem>> list_allocations(App&, store::Store& store, const Actor& actor,
                                                std::optional<int64_t> cycle_id, const PageRequest& page) {
  return transfer_list(store, actor, "allocation", cycle_id, page);
}

}  // namespace zizhu::app
