#include "app/payments.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "app/payables.h"
#include "app/uploads.h"
#include "core/masking.h"
#include "funds/assert.h"
#include "funds/bank_files.h"
#include "funds/ledger.h"
#include "funds/ledger_service.h"
#include "funds/payment_ids.h"
#include "io/xlsx_reader.h"

namespace zizhu::app {

namespace {

using store::LedgerAccountKind;
using store::LedgerTransfer;
using store::PaymentBatchRecord;
using store::PaymentLineRecord;

constexpr std::array<std::string_view, 6> kLineStatuses = {"prepared", "pending", "paid",
                                                           "failed",   "cancelled", "returned"};
constexpr size_t kReasonBytesMax = 300;
constexpr size_t kReferenceBytesMax = 64;

bool live(const PaymentLineRecord& l) {
  return l.status == "prepared" || l.status == "pending" || l.status == "paid" || l.status == "returned";
}

Result<void> at_county(const Actor& actor) {
  if (actor.org_kind != store::OrgKind::kCounty) return fail("RULE", "付款批次由区县办理：当前账号不属于区县");
  return {};
}

std::string yuan(int64_t fen) { return format_yuan(Fen::from_fen(fen)); }

std::string two_digits(int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(n));
  return buf;
}

std::string five_digits(int64_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%05lld", static_cast<long long>(n));
  return buf;
}

// The batch if its cycle is one the actor manages; NOT_FOUND otherwise.
Result<std::pair<PaymentBatchRecord, store::Cycle>> batch_in_reach(store::Store& store, const Actor& actor,
                                                                   int64_t batch_id) {
  auto b = store.get_payment_batch(batch_id);
  if (!b) return tl::unexpected(b.error());
  if (!*b) return field_error("NOT_FOUND", "付款批次不存在", "batch_id");
  auto cycle = managed_cycle(store, actor, (*b)->cycle_id);
  if (!cycle) return field_error("NOT_FOUND", "付款批次不存在", "batch_id");
  return std::pair{std::move(**b), std::move(*cycle)};
}

// The payment file's rows of a direct batch from today's student data: the
// guardian's name and the card, as the bank needs them.
Result<funds::PaymentBatch> payment_rows(store::Store& store, const PaymentBatchRecord& b,
                                         const std::vector<PaymentLineRecord>& lines) {
  funds::PaymentBatch pb;
  pb.batch_no = b.batch_no;
  pb.purpose = b.purpose;
  pb.lines.reserve(lines.size());
  for (const auto& l : lines) {
    auto s = store.get_student(l.student_id);
    if (!s) return tl::unexpected(s.error());
    if (!*s || !(*s)->data.bank_card) {
      return fail("STATE_CONFLICT", "明细 " + l.line_no + " 的学生已没有银行卡号：请作废本批次并重新制单");
    }
    pb.lines.push_back({l.line_no, (*s)->data.guardian_name, (*s)->data.bank_card->plain(), "",
                        Fen::from_fen(l.amount_fen)});
  }
  return pb;
}

Result<funds::PaymentFile> payment_file(store::Store& store, const PaymentBatchRecord& b,
                                        const std::vector<PaymentLineRecord>& lines) {
  auto rows = payment_rows(store, b, lines);
  if (!rows) return tl::unexpected(rows.error());
  return funds::write_payment_csv(*rows);
}

}  // namespace

Result<store::PaymentLineRecord> payment_line_by_id(store::Store& store, int64_t line_id) {
  auto found = store.payment_lines_after(line_id - 1, 1);
  if (!found) return tl::unexpected(found.error());
  if (found->empty() || found->front().id != line_id) return field_error("NOT_FOUND", "付款明细不存在", "line_id");
  return found->front();
}

namespace {

// A reason people type (kept in the line and the audit log).
Result<void> check_reason(std::string_view reason, const std::string& ask) {
  if (reason.empty() || reason.size() > kReasonBytesMax) return field_error("BAD_VALUE", ask, "reason");
  return refuse_id_like_digits(reason, "reason");
}

// An approved batch with no line at the bank any more is settled.
Result<void> settle_if_done(App& app, store::Store& store, PaymentBatchRecord& b,
                            const std::vector<PaymentLineRecord>& lines) {
  for (const auto& l : lines) {
    if (l.status == "pending") return {};
  }
  if (b.state != "APPROVED") return {};
  b.state = "SETTLED";
  b.closed_at_ms = app.now_ms();
  return store.update_payment_batch(b);
}

// The shares of a line already in the ledger (its pending payment transfers).
Result<std::vector<LedgerTransfer>> line_shares(store::Store& store, int64_t line_id) {
  std::vector<int64_t> ids;
  for (int s = 0; s < funds::kPaymentSharesMax; ++s) ids.push_back(funds::payment_share_id(line_id, s));
  auto found = store.ledger_transfers(ids);
  if (!found) return tl::unexpected(found.error());
  std::sort(found->begin(), found->end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return found;
}

// Posts (paid) or voids (failed) every share of a line: the transfers to
// apply, appended to `out`; the line's new status is set in `line`.
Result<void> settle_line(store::Store& store, const Actor& actor, int64_t now_ms, PaymentLineRecord& line, bool paid,
                         std::string reference, std::string processed_on, std::string reason,
                         std::vector<LedgerTransfer>& out) {
  ZIZHU_LEDGER_ASSERT(line.status == "pending");
  auto shares = line_shares(store, line.id);
  if (!shares) return tl::unexpected(shares.error());
  int64_t sum_fen = 0;
  for (const auto& share : *shares) {
    LedgerTransfer t;
    t.id = funds::payment_settle_id(share.id);
    t.debit_account_id = share.debit_account_id;
    t.credit_account_id = share.credit_account_id;
    t.amount_fen = share.amount_fen;
    t.code = store::TransferCode::kPayment;
    t.flags = paid ? store::transfer_flags::kPostPending : store::transfer_flags::kVoidPending;
    t.pending_id = share.id;
    t.cycle_id = share.cycle_id;
    t.source = share.source;
    t.user_id = actor.user_id;
    sum_fen += share.amount_fen;
    out.push_back(std::move(t));
  }
  // An approved line's shares add up to its amount (approve_batch wrote them).
  if (sum_fen != line.amount_fen) {
    return fail("DB_CORRUPT", "明细 " + line.line_no + " 的账务分录与金额不符 (payment shares do not add up)");
  }
  line.status = paid ? "paid" : "failed";
  line.bank_ref = std::move(reference);
  line.processed_on = std::move(processed_on);
  line.reason = std::move(reason);
  line.settled_by = actor.user_id;
  line.settled_at_ms = now_ms;
  return {};
}

// Applies transfers in the ledger's batch size, inside the caller's
// transaction; the first refusal is an error naming what it concerns.
Result<void> apply_all(App& app, store::Store& store, const std::vector<LedgerTransfer>& transfers,
                       const std::unordered_map<int64_t, std::string>& account_names) {
  for (size_t at = 0; at < transfers.size(); at += funds::kBatchTransfersMax) {
    const size_t n = std::min(funds::kBatchTransfersMax, transfers.size() - at);
    auto applied = funds::apply_in_transaction(store, std::span<const LedgerTransfer>(transfers.data() + at, n),
                                               app.now_ms());
    if (!applied) return tl::unexpected(applied.error());
    for (size_t i = 0; i < n; ++i) {
      const funds::TransferResult r = applied->results[i];
      if (funds::transfer_accepted(r)) continue;
      const LedgerTransfer& t = transfers[at + i];
      std::string what;
      if (auto it = account_names.find(t.debit_account_id); it != account_names.end()) what = it->second + "：";
      return fail("LEDGER", what + std::string(funds::transfer_result_label(r)) + " (" +
                                std::string(funds::transfer_result_key(r)) + ", " +
                                std::string(store::transfer_code_key(t.code)) + " " + std::to_string(t.id) + ")");
    }
  }
  return {};
}

Result<std::string> school_label(store::Store& store, std::unordered_map<int64_t, store::OrgNode>& cache,
                                 int64_t school_id) {
  auto it = cache.find(school_id);
  if (it == cache.end()) {
    auto node = store.get_org_node(school_id);
    if (!node) return tl::unexpected(node.error());
    if (!*node) return fail("DB_CORRUPT", "付款明细指向不存在的学校 " + std::to_string(school_id));
    it = cache.emplace(school_id, **node).first;
  }
  return it->second.name;
}

Result<PaymentBatchView> view_of(store::Store& store, const PaymentBatchRecord& b, bool with_lines) {
  PaymentBatchView v;
  v.id = b.id;
  v.cycle_id = b.cycle_id;
  v.term = b.term;
  v.channel = b.channel;
  v.batch_no = b.batch_no;
  v.purpose = b.purpose;
  v.state = b.state;
  v.line_count = b.line_count;
  v.total = yuan(b.total_fen);
  v.file_sm3 = b.file_sm3;
  v.file_sha256 = b.file_sha256;
  v.prepared_by = b.prepared_by_name;
  v.approved_by = b.approved_by_name;
  v.prepared_at_ms = b.prepared_at_ms;
  v.approved_at_ms = b.approved_at_ms;
  v.closed_at_ms = b.closed_at_ms;
  v.status_counts.assign(kLineStatuses.size(), 0);
  auto lines = store.payment_lines(b.id);
  if (!lines) return tl::unexpected(lines.error());
  std::unordered_map<int64_t, store::OrgNode> schools;
  std::map<std::string, SchoolTotal> by_school;
  std::map<std::string, int64_t> school_fen;
  for (const auto& l : *lines) {
    for (size_t i = 0; i < kLineStatuses.size(); ++i) {
      if (kLineStatuses[i] == l.status) ++v.status_counts[i];
    }
    if (!l.risk.empty()) ++v.risks;
    auto name = school_label(store, schools, l.school_id);
    if (!name) return tl::unexpected(name.error());
    const std::string& code = schools.at(l.school_id).code;
    auto& st = by_school[code];
    st.school_code = code;
    st.school_name = *name;
    ++st.lines;
    school_fen[code] += l.amount_fen;
    if (!with_lines) continue;
    PaymentLineView lv;
    lv.id = l.id;
    lv.line_no = l.line_no;
    lv.filing_id = l.filing_id;
    lv.school_code = code;
    lv.school_name = *name;
    lv.student_id = l.student_id;
    auto listing = store.get_student_listing(l.student_id);
    if (!listing) return tl::unexpected(listing.error());
    if (*listing) {
      lv.student_no_masked = (*listing)->student_no_masked;
      lv.name = (*listing)->name;
    }
    lv.level = l.level;
    lv.amount = yuan(l.amount_fen);
    lv.card_masked = l.card_masked;
    lv.risk = l.risk;
    lv.status = l.status;
    lv.reason = l.reason;
    lv.bank_ref = l.bank_ref;
    lv.processed_on = l.processed_on;
    v.lines.push_back(std::move(lv));
  }
  for (auto& [code, st] : by_school) {
    st.amount = yuan(school_fen[code]);
    v.schools.push_back(std::move(st));
  }
  return v;
}

Result<std::string> read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("IO", "无法读取临时文件: " + path.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail("IO", "无法读取临时文件: " + path.string());
  return bytes;
}

// The batch as stored now (its state and approver's name just written).
Result<PaymentBatchView> stored_view(store::Store& store, int64_t batch_id, bool with_lines) {
  auto stored = store.get_payment_batch(batch_id);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return fail("DB_CORRUPT", "付款批次不存在 " + std::to_string(batch_id));
  return view_of(store, **stored, with_lines);
}

std::string term_label(int term) { return term == 1 ? "一" : "二"; }

std::string china_day(int64_t ms) { return china_date(ms).iso(); }

}  // namespace

namespace {

// Why a student the term still owes cannot be put in a batch of a channel.
enum class Blocked { kNone, kNoCard, kNoGuardianName };

// One student of the term's approved lists with no line prepared, at the
// bank, paid or returned for the term: what prepare puts in a batch (when
// not blocked) and what a batch's detail lists as still owed.
struct Unpaid {
  size_t payable = 0;  // index into TermSelection::payables.lines
  // Today's payee data, as the bank file needs it (nothing else of the
  // student is kept: fewer opened sealed values in memory).
  std::optional<store::SensitiveText> card;
  std::string guardian_name;
  Blocked blocked = Blocked::kNone;
  std::optional<std::string> last_failure;  // reason of a failed line this term
};

struct TermSelection {
  TermPayables payables;
  std::vector<Unpaid> unpaid;  // in the payables' order (by school, then student)
};

// The one place that decides who a batch of (cycle, term, channel) can pay:
// prepare_batch pays the unblocked ones; get_batch shows them all, live, so
// a student left out is never out of sight. The caller checked the cycle is
// in the actor's reach (term_payables checks it again).
Result<TermSelection> unpaid_of_term(App& app, store::Store& store, const Actor& actor, int64_t cycle_id, int term,
                                     bool direct) {
  TermSelection out;
  auto payables = term_payables(app, store, actor, cycle_id, term);
  if (!payables) return tl::unexpected(payables.error());
  out.payables = std::move(*payables);
  auto existing = store.payment_lines_of_term(cycle_id, term);
  if (!existing) return tl::unexpected(existing.error());
  std::unordered_set<int64_t> taken;
  std::unordered_map<int64_t, std::string> last_failure;
  for (const auto& l : *existing) {
    if (live(l)) taken.insert(l.student_id);
    if (l.status == "failed") last_failure[l.student_id] = l.reason;
  }
  const auto& lines = out.payables.lines;
  for (size_t i = 0; i < lines.size(); ++i) {
    const PayableLine& p = lines[i];
    if (taken.count(p.student_id) != 0) continue;
    auto s = store.get_student(p.student_id);
    if (!s) return tl::unexpected(s.error());
    if (!*s) return fail("DB_CORRUPT", "已备案名单中的学生不存在 (student " + std::to_string(p.student_id) + ")");
    Unpaid u;
    u.payable = i;
    u.card = std::move((*s)->data.bank_card);
    u.guardian_name = std::move((*s)->data.guardian_name);
    if (direct && (!u.card || u.card->empty())) {
      u.blocked = Blocked::kNoCard;
    } else if (direct && u.guardian_name.empty()) {
      u.blocked = Blocked::kNoGuardianName;
    }
    if (auto f = last_failure.find(p.student_id); f != last_failure.end()) u.last_failure = f->second;
    out.unpaid.push_back(std::move(u));
  }
  return out;
}

// How an unpaid student is shown: masked data only (the listing's forms).
ExcludedStudent excluded_of(const PayableLine& p, const Unpaid& u) {
  ExcludedStudent e;
  e.student_id = p.student_id;
  e.school_code = p.school_code;
  e.school_name = p.school_name;
  e.student_no_masked = p.student_no_masked;
  e.name = p.name;
  e.amount = yuan(p.amount_fen);
  switch (u.blocked) {
    case Blocked::kNoCard:
      e.reason_code = "no_card";
      e.reason = "无银行卡号：请学校补录后再付，或通过学校发放";
      break;
    case Blocked::kNoGuardianName:
      e.reason_code = "no_guardian_name";
      e.reason = "缺少监护人姓名";
      break;
    case Blocked::kNone:
      e.reason_code = "not_in_batch";
      // After a refusal the card on file may be the refused one: say so.
      e.reason = u.last_failure ? "尚未纳入任何批次：请核实银行卡（必要时修改）后再制作一个批次"
                                : "尚未纳入任何批次：请再制作一个批次";
      break;
  }
  if (u.last_failure) {
    e.reason = "上次付款失败（" + (u.last_failure->empty() ? std::string("未说明原因") : *u.last_failure) + "）；" +
               e.reason;
  }
  return e;
}

}  // namespace

Result<PaymentBatchView> prepare_batch(App& app, store::Store& store, const Actor& actor, int64_t cycle_id, int term,
                                       std::string_view channel) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  if (channel != "direct" && channel != "school") {
    return field_error("BAD_VALUE", "发放方式须为 direct（直接发放到银行卡）或 school（通过学校发放）", "channel");
  }
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  const bool direct = channel == "direct";
  auto selection = unpaid_of_term(app, store, actor, cycle_id, term, direct);
  if (!selection) return tl::unexpected(selection.error());
  auto batches = store.payment_batches(cycle_id);
  if (!batches) return tl::unexpected(batches.error());

  PaymentBatchRecord b;
  b.county_id = cycle->county_id;
  b.cycle_id = cycle_id;
  b.term = term;
  b.channel = std::string(channel);
  b.batch_no = cycle->county_code + "-C" + std::to_string(cycle_id) + "-T" + std::to_string(term) + "-B" +
               two_digits(static_cast<int64_t>(batches->size()) + 1);
  b.purpose = cycle->school_year + "学年第" + term_label(term) + "学期义务教育资助";
  b.state = "PREPARED";
  b.prepared_by = actor.user_id;
  b.prepared_at_ms = app.now_ms();

  std::vector<PaymentLineRecord> lines;
  funds::PaymentBatch file;
  file.batch_no = b.batch_no;
  file.purpose = b.purpose;
  PaymentBatchView view;
  std::unordered_map<std::string, int64_t> school_ids;
  for (const Unpaid& u : selection->unpaid) {
    const PayableLine& p = selection->payables.lines[u.payable];
    if (u.blocked != Blocked::kNone) {
      view.excluded.push_back(excluded_of(p, u));
      continue;
    }
    const auto& card = u.card;
    PaymentLineRecord l;
    l.line_no = b.batch_no + "-" + five_digits(static_cast<int64_t>(lines.size()) + 1);
    l.cycle_id = cycle_id;
    l.term = term;
    l.student_id = p.student_id;
    auto known = school_ids.find(p.school_code);  // lines come by school: one lookup per school
    if (known == school_ids.end()) {
      auto school = store.find_school(p.school_code);
      if (!school) return tl::unexpected(school.error());
      if (!*school) return fail("DB_CORRUPT", "学校不存在 " + p.school_code);
      known = school_ids.emplace(p.school_code, (*school)->org_id).first;
    }
    l.school_id = known->second;
    l.filing_id = p.filing_id;
    l.level = p.level;
    l.amount_fen = p.amount_fen;
    l.card_masked = card && !card->empty() ? mask_bank_card(card->plain()) : "";
    if (u.last_failure) {
      l.risk = "上次付款失败：" + (u.last_failure->empty() ? std::string("未说明原因") : *u.last_failure);
    }
    l.status = "prepared";
    if (direct) {
      file.lines.push_back({l.line_no, u.guardian_name, card->plain(), "", Fen::from_fen(l.amount_fen)});
    }
    b.total_fen += l.amount_fen;
    lines.push_back(std::move(l));
    if (lines.size() > funds::kPaymentLinesMax) {
      return fail("RULE", "一个批次最多 " + std::to_string(funds::kPaymentLinesMax) + " 笔：请按学校分批");
    }
  }
  if (lines.empty()) {
    return fail("RULE", "本学期没有待付款的学生（已在其他批次中，或名单尚未备案通过）");
  }
  // A card changed shortly before the payment (冒领's classic sign).
  std::vector<int64_t> ids;
  for (const auto& l : lines) ids.push_back(l.student_id);
  auto changes = store.bank_card_changes_since(ids, app.now_ms() - kCardChangeRiskWindowMs);
  if (!changes) return tl::unexpected(changes.error());
  std::unordered_map<int64_t, const store::BankCardChange*> changed;
  for (const auto& c : *changes) changed[c.student_id] = &c;
  for (auto& l : lines) {
    auto it = changed.find(l.student_id);
    if (it == changed.end()) continue;
    const store::BankCardChange& c = *it->second;
    std::string note = "银行卡于 " + china_day(c.changed_at_ms) + " 变更（" +
                       (c.old_masked.empty() ? std::string("无") : c.old_masked) + " → " +
                       (c.new_masked.empty() ? std::string("无") : c.new_masked) + "；" + c.reason + "）";
    l.risk = l.risk.empty() ? note : l.risk + "；" + note;
  }
  b.line_count = static_cast<int64_t>(lines.size());
  if (direct) {
    auto written = funds::write_payment_csv(file);
    if (!written) return tl::unexpected(written.error());
    b.file_sm3 = written->sm3_hex;
    b.file_sha256 = written->sha256_hex;
  }
  auto id = store.add_payment_batch(b);
  if (!id) return tl::unexpected(id.error());
  b.id = *id;
  for (auto& l : lines) l.batch_id = b.id;
  if (auto ok = store.add_payment_lines(lines); !ok) return tl::unexpected(ok.error());
  int64_t risks = 0;
  for (const auto& l : lines) risks += l.risk.empty() ? 0 : 1;
  if (auto ok = record(app, store, actor,
                       {"funds.batch.prepare", "payment_batch", std::to_string(b.id), "ok",
                        summary_json({{"batch_no", b.batch_no},
                                      {"channel", b.channel},
                                      {"lines", std::to_string(b.line_count)},
                                      {"total", yuan(b.total_fen)},
                                      {"file_sm3", b.file_sm3},
                                      {"risks", std::to_string(risks)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto v = stored_view(store, b.id, true);
  if (!v) return tl::unexpected(v.error());
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  // Right after preparation the unblocked students are all in this batch:
  // the blocked ones are exactly what get_batch would list now.
  v->excluded = std::move(view.excluded);
  v->excluded_as_of_ms = b.prepared_at_ms;
  return v;
}

Result<std::vector<PaymentBatchView>> list_batches(App&, store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  auto batches = store.payment_batches(cycle_id);
  if (!batches) return tl::unexpected(batches.error());
  std::vector<PaymentBatchView> out;
  for (const auto& b : *batches) {
    auto v = view_of(store, b, false);
    if (!v) return tl::unexpected(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

Result<PaymentBatchView> get_batch(App& app, store::Store& store, const Actor& actor, int64_t batch_id) {
  auto found = batch_in_reach(store, actor, batch_id);
  if (!found) return tl::unexpected(found.error());
  const PaymentBatchRecord& b = found->first;
  auto v = view_of(store, b, true);
  if (!v) return tl::unexpected(v.error());
  // Read now, not kept from preparation: a card entered since, a later batch
  // or a failed line changes who is still owed, and a child left out must
  // stay visible until a batch holds them.
  const int64_t as_of_ms = app.now_ms();
  auto selection = unpaid_of_term(app, store, actor, b.cycle_id, b.term, b.channel == "direct");
  if (!selection) return tl::unexpected(selection.error());
  for (const Unpaid& u : selection->unpaid) v->excluded.push_back(excluded_of(selection->payables.lines[u.payable], u));
  v->excluded_as_of_ms = as_of_ms;
  return v;
}

Result<PaymentBatchView> approve_batch(App& app, store::Store& store, const Actor& actor, int64_t batch_id,
                                       std::string_view file_sm3_seen) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto found = batch_in_reach(store, actor, batch_id);
  if (!found) return tl::unexpected(found.error());
  PaymentBatchRecord& b = found->first;
  const store::Cycle& cycle = found->second;
  if (b.prepared_by == actor.user_id) {
    return fail("FORBIDDEN", "制单人不能审批自己制作的批次：须由另一人核对后审批");
  }
  if (b.state != "PREPARED") return fail("STATE_CONFLICT", "批次状态为 " + b.state + "，只有待审批的批次可以审批");
  auto lines = store.payment_lines(b.id);
  if (!lines) return tl::unexpected(lines.error());
  if (b.channel == "direct") {
    if (file_sm3_seen != b.file_sm3) {
      return field_error("BAD_VALUE", "所核对的文件摘要与批次不符：请核对批次的 SM3 摘要后审批", "file_sm3");
    }
    auto file = payment_file(store, b, *lines);
    if (!file) return tl::unexpected(file.error());
    if (file->sm3_hex != b.file_sm3) {
      return fail("STATE_CONFLICT", "制单后收款信息已变化（如银行卡变更），文件与制单时不同：请作废本批次并重新制单");
    }
  }

  // The accounts the batch touches, and their names for errors.
  std::set<int64_t> school_ids;
  for (const auto& l : *lines) school_ids.insert(l.school_id);
  std::unordered_map<int64_t, std::string> names;
  std::unordered_map<int64_t, store::OrgNode> nodes;
  for (int64_t school : school_ids) {
    if (auto ok = ensure_fund_accounts(app, store, {{school, LedgerAccountKind::kSchoolAllocation},
                                                    {school, LedgerAccountKind::kPayable},
                                                    {school, LedgerAccountKind::kPaidOut}});
        !ok) {
      return tl::unexpected(ok.error());
    }
    auto name = school_label(store, nodes, school);
    if (!name) return tl::unexpected(name.error());
    names[fund_account_id(school, LedgerAccountKind::kSchoolAllocation)] = *name + " 的分配资金";
    names[fund_account_id(school, LedgerAccountKind::kPayable)] = *name + " 的应付资金";
  }

  // The schools' lists committed and the commitments posted: the money is
  // now payable to the students.
  std::vector<LedgerTransfer> transfers;
  for (int64_t school : school_ids) {
    auto c = commitment_transfers(store, b.cycle_id, school, true);
    if (!c) return tl::unexpected(c.error());
    transfers.insert(transfers.end(), c->begin(), c->end());
  }

  // What each source can still pay: what it provided (its receipts, less
  // corrections) less what payments already hold from it.
  std::array<int64_t, kFundSources> available_fen{};
  {
    std::vector<int64_t> ids;
    for (size_t k = 0; k < kFundSources; ++k) {
      ids.push_back(fund_account_id(cycle.county_id, fund_source_account_kind(static_cast<FundSource>(k))));
    }
    auto sources = store.ledger_accounts(ids);
    if (!sources) return tl::unexpected(sources.error());
    for (const auto& a : *sources) {
      for (size_t k = 0; k < kFundSources; ++k) {
        if (a.id == ids[k]) available_fen[k] = a.debits_posted_fen - a.credits_posted_fen;
      }
    }
    auto used = store.payment_use_by_source(cycle.county_path);
    if (!used) return tl::unexpected(used.error());
    for (const auto& [key, fen] : *used) {
      const auto source = parse_fund_source(key);
      if (!source) return fail("DB_CORRUPT", "付款分录的资金来源不正确: " + key);
      available_fen[static_cast<size_t>(*source)] -= fen;
    }
  }
  int64_t short_fen = 0;
  for (const auto& l : *lines) {
    int64_t remaining_fen = l.amount_fen;
    int share = 0;
    for (size_t k = 0; k < kFundSources && remaining_fen > 0; ++k) {
      const int64_t take_fen = std::min(remaining_fen, std::max<int64_t>(available_fen[k], 0));
      if (take_fen <= 0) continue;
      LedgerTransfer t;
      t.id = funds::payment_share_id(l.id, share);
      t.debit_account_id = fund_account_id(l.school_id, LedgerAccountKind::kPayable);
      t.credit_account_id = fund_account_id(l.school_id, LedgerAccountKind::kPaidOut);
      t.amount_fen = take_fen;
      t.code = store::TransferCode::kPayment;
      t.flags = store::transfer_flags::kPending;
      t.cycle_id = b.cycle_id;
      t.source = std::string(fund_source_key(static_cast<FundSource>(k)));
      t.user_id = actor.user_id;
      transfers.push_back(std::move(t));
      available_fen[k] -= take_fen;
      remaining_fen -= take_fen;
      ++share;
    }
    ZIZHU_LEDGER_ASSERT(share <= funds::kPaymentSharesMax);
    short_fen += remaining_fen;
  }
  if (short_fen > 0) {
    return fail("RULE", "到账资金不足：各来源已到账金额扣除已发放（含在途）后，本批次还差 " + yuan(short_fen) +
                            " 元。请先登记资金到账");
  }
  if (auto ok = apply_all(app, store, transfers, names); !ok) return tl::unexpected(ok.error());
  for (auto& l : *lines) {
    l.status = "pending";
    if (auto ok = store.update_payment_line(l); !ok) return tl::unexpected(ok.error());
  }
  b.state = "APPROVED";
  b.approved_by = actor.user_id;
  b.approved_at_ms = app.now_ms();
  if (auto ok = store.update_payment_batch(b); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"funds.batch.approve", "payment_batch", std::to_string(b.id), "ok",
                        summary_json({{"batch_no", b.batch_no},
                                      {"lines", std::to_string(b.line_count)},
                                      {"total", yuan(b.total_fen)},
                                      {"file_sm3", b.file_sm3}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto v = stored_view(store, b.id, true);
  if (!v) return tl::unexpected(v.error());
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return v;
}

Result<PaymentBatchView> cancel_batch(App& app, store::Store& store, const Actor& actor, int64_t batch_id,
                                      std::string_view reason) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_reason(reason, "请说明作废原因（最多 100 字）"); !ok) return tl::unexpected(ok.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto found = batch_in_reach(store, actor, batch_id);
  if (!found) return tl::unexpected(found.error());
  PaymentBatchRecord& b = found->first;
  if (b.state != "PREPARED") return fail("STATE_CONFLICT", "只有待审批的批次可以作废（已审批的批次以银行回盘为准）");
  auto lines = store.payment_lines(b.id);
  if (!lines) return tl::unexpected(lines.error());
  for (auto& l : *lines) {
    l.status = "cancelled";
    l.reason = std::string(reason);
    l.settled_by = actor.user_id;
    l.settled_at_ms = app.now_ms();
    if (auto ok = store.update_payment_line(l); !ok) return tl::unexpected(ok.error());
  }
  b.state = "CANCELLED";
  b.closed_at_ms = app.now_ms();
  if (auto ok = store.update_payment_batch(b); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"funds.batch.cancel", "payment_batch", std::to_string(b.id), "ok",
                        summary_json({{"batch_no", b.batch_no}, {"reason", reason}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto v = stored_view(store, b.id, false);
  if (!v) return tl::unexpected(v.error());
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return v;
}

Result<BatchFile> batch_file(App& app, store::Store& store, const Actor& actor, int64_t batch_id,
                             std::string_view format) {
  if (format != "csv" && format != "xlsx") return field_error("BAD_VALUE", "格式须为 csv 或 xlsx", "format");
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto found = batch_in_reach(store, actor, batch_id);
  if (!found) return tl::unexpected(found.error());
  const PaymentBatchRecord& b = found->first;
  if (b.channel != "direct") return fail("RULE", "通过学校发放的批次没有银行代发文件");
  if (b.state != "APPROVED" && b.state != "SETTLED") {
    return fail("STATE_CONFLICT", "批次审批后才能下载银行代发文件");
  }
  auto lines = store.payment_lines(b.id);
  if (!lines) return tl::unexpected(lines.error());
  auto file = payment_file(store, b, *lines);
  if (!file) return tl::unexpected(file.error());
  if (file->sm3_hex != b.file_sm3) {
    return fail("STATE_CONFLICT", "收款信息在审批后发生变化，文件与审批时不同，不能下载：请联系审批人核查");
  }
  BatchFile out;
  out.file_name = b.batch_no + (format == "csv" ? ".csv" : ".xlsx");
  if (format == "csv") {
    out.bytes = std::move(file->csv);
    out.content_type = "text/csv; charset=utf-8";
  } else {
    // The XLSX carries the same rows as the approved CSV (whose digest the
    // approver saw); libxlsxwriter writes to a path.
    auto upload = TempUpload::save("", ".xlsx");
    if (!upload) return tl::unexpected(upload.error());
    auto rows = payment_rows(store, b, *lines);
    if (!rows) return tl::unexpected(rows.error());
    if (auto ok = funds::write_payment_xlsx(*rows, upload->path().string()); !ok) return tl::unexpected(ok.error());
    auto bytes = read_whole_file(upload->path());
    if (!bytes) return tl::unexpected(bytes.error());
    out.bytes = std::move(*bytes);
    out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  if (auto ok = record(app, store, actor,
                       {"funds.batch.file", "payment_batch", std::to_string(b.id), "ok",
                        summary_json({{"batch_no", b.batch_no}, {"format", format}, {"file_sm3", b.file_sm3}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return out;
}

Result<ReturnReport> import_bank_return(App& app, store::Store& store, const Actor& actor, int64_t batch_id,
                                        std::string_view file_name, std::string_view bytes) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto found = batch_in_reach(store, actor, batch_id);
  if (!found) return tl::unexpected(found.error());
  PaymentBatchRecord& b = found->first;
  if (b.channel != "direct") return fail("RULE", "通过学校发放的批次由学校逐笔登记，不导入银行回盘");
  if (b.state != "APPROVED" && b.state != "SETTLED") return fail("STATE_CONFLICT", "批次审批后才能导入银行回盘");
  const std::string name = file_name.empty() ? std::string("银行回盘文件") : std::string(file_name);
  Result<funds::ReturnFile> parsed = tl::unexpected(Error::make("BAD_VALUE", ""));
  if (table_kind(bytes) == ".xlsx") {
    auto upload = TempUpload::save(bytes, ".xlsx");
    if (!upload) return tl::unexpected(upload.error());
    auto table = io::open_xlsx(upload->path().string());
    if (!table) return tl::unexpected(table.error());
    parsed = funds::read_return_table(**table);
  } else {
    parsed = funds::parse_return_csv(name, bytes);
  }
  if (!parsed) return tl::unexpected(parsed.error());

  auto lines = store.payment_lines(b.id);
  if (!lines) return tl::unexpected(lines.error());
  std::unordered_map<std::string, Fen> pending;
  std::unordered_set<std::string> settled;
  std::unordered_map<std::string, PaymentLineRecord*> by_no;
  for (auto& l : *lines) {
    by_no[l.line_no] = &l;
    if (l.status == "pending") pending.emplace(l.line_no, Fen::from_fen(l.amount_fen));
    if (l.status == "paid" || l.status == "failed") settled.insert(l.line_no);
  }
  auto rec = funds::reconcile_return(pending, settled, *parsed);
  if (!rec) return tl::unexpected(rec.error());

  ReturnReport report;
  std::vector<LedgerTransfer> transfers;
  std::vector<PaymentLineRecord*> changed;
  int64_t paid_fen = 0, failed_fen = 0;
  for (const auto& c : rec->lines) {
    const funds::ReturnLine& r = parsed->lines[c.index];
    switch (c.cls) {
      case funds::ReturnClass::kMatchedSuccess:
      case funds::ReturnClass::kMatchedFailure: {
        PaymentLineRecord* l = by_no.at(r.line_id);
        const bool ok_paid = c.cls == funds::ReturnClass::kMatchedSuccess;
        std::string reason = ok_paid ? "" : (r.reason.empty() ? std::string("银行未说明原因") : r.reason);
        if (auto ok = settle_line(store, actor, app.now_ms(), *l, ok_paid, r.bank_ref, r.processed_on.iso(),
                                  std::move(reason), transfers);
            !ok) {
          return tl::unexpected(ok.error());
        }
        (ok_paid ? paid_fen : failed_fen) += l->amount_fen;
        changed.push_back(l);
        break;
      }
      case funds::ReturnClass::kUnknownLine:
        report.problems.push_back({r.row, r.line_id, "批次中没有这笔明细：未处理"});
        break;
      case funds::ReturnClass::kAmountMismatch:
        report.problems.push_back({r.row, r.line_id, "金额与批次不符：未处理，请与银行核对"});
        break;
      case funds::ReturnClass::kAlreadySettled: break;
    }
  }
  for (const auto& reject : parsed->rejects) {
    report.problems.push_back({reject.row, "", "第 " + std::to_string(reject.row) + " 行「" + reject.column +
                                                   "」无法读取（" + reject.code + "）：未处理"});
  }
  if (auto ok = apply_all(app, store, transfers, {}); !ok) return tl::unexpected(ok.error());
  for (PaymentLineRecord* l : changed) {
    if (auto ok = store.update_payment_line(*l); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = settle_if_done(app, store, b, *lines); !ok) return tl::unexpected(ok.error());
  using funds::ReturnClass;
  report.matched_success = static_cast<int64_t>(rec->count[static_cast<size_t>(ReturnClass::kMatchedSuccess)]);
  report.matched_failure = static_cast<int64_t>(rec->count[static_cast<size_t>(ReturnClass::kMatchedFailure)]);
  report.unknown_line = static_cast<int64_t>(rec->count[static_cast<size_t>(ReturnClass::kUnknownLine)]);
  report.amount_mismatch = static_cast<int64_t>(rec->count[static_cast<size_t>(ReturnClass::kAmountMismatch)]);
  report.already_settled = static_cast<int64_t>(rec->count[static_cast<size_t>(ReturnClass::kAlreadySettled)]);
  report.rejected_rows = static_cast<int64_t>(parsed->rejects.size());
  report.paid = yuan(paid_fen);
  report.failed = yuan(failed_fen);
  report.file_sm3 = funds::sm3_hex(bytes);
  if (auto ok = record(app, store, actor,
                       {"funds.return.import", "payment_batch", std::to_string(b.id), "ok",
                        summary_json({{"batch_no", b.batch_no},
                                      {"file_sm3", report.file_sm3},
                                      {"paid", std::to_string(report.matched_success)},
                                      {"failed", std::to_string(report.matched_failure)},
                                      {"unknown", std::to_string(report.unknown_line)},
                                      {"mismatch", std::to_string(report.amount_mismatch)},
                                      {"already_settled", std::to_string(report.already_settled)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto v = stored_view(store, b.id, false);
  if (!v) return tl::unexpected(v.error());
  report.batch = std::move(*v);
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return report;
}

Result<PaymentLineView> record_school_payment(App& app, store::Store& store, const Actor& actor, int64_t line_id,
                                              bool paid, std::string_view reference, std::string_view processed_on,
                                              std::string_view reason) {
  if (actor.org_kind != store::OrgKind::kSchool) return fail("RULE", "通过学校发放的付款由学校登记");
  std::optional<Date> on;
  if (paid) {
    if (reference.empty() || reference.size() > kReferenceBytesMax) {
      return field_error("BAD_VALUE", "请填写付款凭证号或银行流水号（最多 64 个字符）", "reference");
    }
    on = parse_date(processed_on);
    if (!on) return field_error("BAD_VALUE", "付款日期须为 YYYY-MM-DD", "processed_on");
    if (china_today(app) < *on) return field_error("BAD_VALUE", "付款日期不能晚于今天", "processed_on");
  } else {
    if (auto ok = check_reason(reason, "请说明未能发放的原因（最多 100 字）"); !ok) return tl::unexpected(ok.error());
  }
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto found = payment_line_by_id(store, line_id);
  if (!found) return tl::unexpected(found.error());
  if (found->school_id != actor.org_id) return field_error("NOT_FOUND", "付款明细不存在", "line_id");
  PaymentLineRecord line = std::move(*found);
  auto b = store.get_payment_batch(line.batch_id);
  if (!b) return tl::unexpected(b.error());
  if (!*b) return fail("DB_CORRUPT", "付款明细指向不存在的批次");
  PaymentBatchRecord batch = **b;
  if (batch.channel != "school") return fail("RULE", "该笔付款由银行代发，以银行回盘为准");
  if (line.status != "pending") {
    return fail("STATE_CONFLICT", line.status == "prepared" ? "批次尚未审批" : "该笔付款已登记（" + line.status + "）");
  }
  std::vector<LedgerTransfer> transfers;
  if (auto ok = settle_line(store, actor, app.now_ms(), line, paid, std::string(reference),
                            on ? on->iso() : china_today(app).iso(), std::string(reason), transfers);
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = apply_all(app, store, transfers, {}); !ok) return tl::unexpected(ok.error());
  if (auto ok = store.update_payment_line(line); !ok) return tl::unexpected(ok.error());
  auto lines = store.payment_lines(batch.id);
  if (!lines) return tl::unexpected(lines.error());
  if (auto ok = settle_if_done(app, store, batch, *lines); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"funds.school_payment", "payment_line", std::to_string(line.id), "ok",
                        summary_json({{"batch_no", batch.batch_no},
                                      {"line_no", line.line_no},
                                      {"status", line.status},
                                      {"amount", yuan(line.amount_fen)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto v = view_of(store, batch, true);
  if (!v) return tl::unexpected(v.error());
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  for (auto& lv : v->lines) {
    if (lv.id == line_id) return std::move(lv);
  }
  return fail("DB_CORRUPT", "付款明细不在其批次中");
}

Result<std::vector<PaymentLineView>> school_payment_lines(App&, store::Store& store, const Actor& actor,
                                                          int64_t cycle_id) {
  if (actor.org_kind != store::OrgKind::kSchool) return fail("RULE", "通过学校发放的付款由学校登记");
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  auto batches = store.payment_batches(cycle_id);
  if (!batches) return tl::unexpected(batches.error());
  std::vector<PaymentLineView> out;
  for (const auto& b : *batches) {
    if (b.channel != "school" || (b.state != "APPROVED" && b.state != "SETTLED")) continue;
    auto v = view_of(store, b, true);
    if (!v) return tl::unexpected(v.error());
    for (auto& l : v->lines) {
      if (l.school_code == actor.org_code) out.push_back(std::move(l));
    }
  }
  return out;
}

Result<FundTransferView> return_remainder(App& app, store::Store& store, const Actor& actor, int64_t transfer_id,
                                          int64_t cycle_id, std::string_view school_code, Fen amount,
                                          std::string_view reason) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  if (transfer_id < 1 || transfer_id > kClientTransferIdMax) {
    return field_error("BAD_VALUE", "转账编号须为 1 至 2^40-1 之间的整数（重试时使用同一编号）", "transfer_id");
  }
  if (amount.value() <= 0) return field_error("BAD_VALUE", "金额须大于 0", "amount");
  if (auto ok = check_reason(reason, "请说明退回原因（如学期调整后名单金额减少，最多 100 字）"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  auto school = store.find_school(school_code);
  if (!school) return tl::unexpected(school.error());
  if (!*school || (*school)->county_id != cycle->county_id) {
    return field_error("NOT_FOUND", "学校不存在", "school_code");
  }
  const int64_t school_id = (*school)->org_id;
  if (auto ok = ensure_fund_accounts(app, store, {{school_id, LedgerAccountKind::kPayable},
                                                  {cycle->county_id, LedgerAccountKind::kReturned}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  LedgerTransfer t;
  t.id = transfer_id;
  t.debit_account_id = fund_account_id(school_id, LedgerAccountKind::kPayable);
  t.credit_account_id = fund_account_id(cycle->county_id, LedgerAccountKind::kReturned);
  t.amount_fen = amount.value();
  t.code = store::TransferCode::kReturn;
  t.cycle_id = cycle_id;
  t.source = "returned remainder " + std::string(school_code);
  t.user_id = actor.user_id;
  auto existing = store.ledger_transfers({transfer_id});
  if (!existing) return tl::unexpected(existing.error());
  if (existing->empty()) {
    // What the lists still owe: each term's entries without a line at the
    // bank, paid or returned. A prepared line is still owed (its money is
    // reserved only when the batch is approved); a failed line too (paid
    // again later, or its money returned with return_failed_line).
    int64_t owed_fen = 0;
    for (int term = 1; term <= 2; ++term) {
      auto payables = term_payables(app, store, actor, cycle_id, term);
      if (!payables) return tl::unexpected(payables.error());
      auto lines = store.payment_lines_of_term(cycle_id, term);
      if (!lines) return tl::unexpected(lines.error());
      std::unordered_set<int64_t> taken;
      for (const auto& l : *lines) {
        if (l.status == "pending" || l.status == "paid" || l.status == "returned") taken.insert(l.student_id);
      }
      for (const auto& p : payables->lines) {
        if (p.school_code == school_code && taken.count(p.student_id) == 0) owed_fen += p.amount_fen;
      }
    }
    auto accounts = store.ledger_accounts({t.debit_account_id});
    if (!accounts) return tl::unexpected(accounts.error());
    ZIZHU_LEDGER_ASSERT(accounts->size() == 1);
    const store::LedgerAccount& a = accounts->front();
    const int64_t free_fen = a.credits_posted_fen - a.debits_posted_fen - a.debits_pending_fen;
    const int64_t allowed_fen = std::min(free_fen, free_fen + a.credits_pending_fen - owed_fen);
    if (amount.value() > allowed_fen) {
      return fail("RULE", "最多可退回 " + yuan(std::max<int64_t>(allowed_fen, 0)) + " 元：应付余额 " + yuan(free_fen) +
                              " 元，名单中还有 " + yuan(owed_fen) + " 元尚未发放");
    }
  }
  auto applied = funds::apply_in_transaction(store, std::span<const LedgerTransfer>(&t, 1), app.now_ms());
  if (!applied) return tl::unexpected(applied.error());
  const funds::TransferResult r = applied->results.at(0);
  if (!funds::transfer_accepted(r)) {
    return fail("LEDGER", std::string(funds::transfer_result_label(r)) + " (" +
                              std::string(funds::transfer_result_key(r)) + ")");
  }
  FundTransferView v;
  v.id = t.id;
  v.result = r == funds::TransferResult::kOk ? "ok" : "exists";
  v.code = "return";
  v.amount = yuan(t.amount_fen);
  v.debit_account_id = t.debit_account_id;
  v.credit_account_id = t.credit_account_id;
  if (v.result == "ok") {
    if (auto ok = record(app, store, actor,
                         {"funds.return", "transfer", std::to_string(t.id), "ok",
                          summary_json({{"school", school_code}, {"amount", v.amount}, {"reason", std::string(reason)}})});
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return v;
}

Result<PaymentLineView> return_failed_line(App& app, store::Store& store, const Actor& actor, int64_t line_id,
                                           std::string_view reason) {
  if (auto ok = at_county(actor); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_reason(reason, "请说明退回原因（如学生已转学）"); !ok) return tl::unexpected(ok.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto found = payment_line_by_id(store, line_id);
  if (!found) return tl::unexpected(found.error());
  PaymentLineRecord line = std::move(*found);
  auto batch = batch_in_reach(store, actor, line.batch_id);
  if (!batch) return field_error("NOT_FOUND", "付款明细不存在", "line_id");
  if (line.status != "failed") return fail("STATE_CONFLICT", "只有发放失败的明细可以退回资金");
  // The student may be in a later batch already: that line pays the term,
  // and this money with it.
  auto term_lines = store.payment_lines_of_term(line.cycle_id, line.term);
  if (!term_lines) return tl::unexpected(term_lines.error());
  for (const auto& other : *term_lines) {
    if (other.student_id == line.student_id && live(other)) {
      return fail("STATE_CONFLICT", "该生本学期已在批次 " + std::to_string(other.batch_id) +
                                        " 中（明细 " + other.line_no + "）：不能再退回这笔资金");
    }
  }
  const int64_t county_id = batch->second.county_id;
  if (auto ok = ensure_fund_accounts(app, store, {{line.school_id, LedgerAccountKind::kPayable},
                                                  {county_id, LedgerAccountKind::kReturned}});
      !ok) {
    return tl::unexpected(ok.error());
  }
  LedgerTransfer t;
  t.id = funds::line_return_id(line.id);
  t.debit_account_id = fund_account_id(line.school_id, LedgerAccountKind::kPayable);
  t.credit_account_id = fund_account_id(county_id, LedgerAccountKind::kReturned);
  t.amount_fen = line.amount_fen;
  t.code = store::TransferCode::kReturn;
  t.cycle_id = line.cycle_id;
  t.source = "line " + line.line_no;
  t.user_id = actor.user_id;
  if (auto ok = apply_all(app, store, {t}, {}); !ok) return tl::unexpected(ok.error());
  line.status = "returned";
  line.reason = line.reason + "；退回：" + std::string(reason);
  if (auto ok = store.update_payment_line(line); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"funds.return", "payment_line", std::to_string(line.id), "ok",
                        summary_json({{"line_no", line.line_no}, {"amount", yuan(line.amount_fen)}, {"reason", reason}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto v = view_of(store, batch->first, true);
  if (!v) return tl::unexpected(v.error());
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  for (auto& lv : v->lines) {
    if (lv.id == line_id) return std::move(lv);
  }
  return fail("DB_CORRUPT", "付款明细不在其批次中");
}

}  // namespace zizhu::app
