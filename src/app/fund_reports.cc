#include "app/fund_reports.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <limits>
#include <map>
#include <tuple>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "app/funds_in.h"
#include "crypto/sm3.h"
#include "print/report_xlsx.h"

namespace zizhu::app {

namespace {

using print::ReportCell;

constexpr int64_t kAllTimeFrom = std::numeric_limits<int64_t>::min();
constexpr int64_t kAllTimeTo = std::numeric_limits<int64_t>::max();
constexpr int64_t kChinaOffsetMs = 8 * 3600 * 1000;
constexpr int64_t kDayMs = 86400 * 1000;

constexpr std::array<std::string_view, 5> kSourceKeys = {"central", "provincial", "local", "donor", "school"};
constexpr std::array<std::string_view, 5> kSourceAccountKinds = {"source_central", "source_provincial", "source_local",
                                                                 "source_donor", "source_school"};
constexpr size_t kDonor = 3;

// The source kind (index into kSourceKeys) of a source account's kind key, or
// of a payment share's / return's `source`; -1 when neither.
int source_of_account_kind(std::string_view kind) {
  for (size_t i = 0; i < kSourceAccountKinds.size(); ++i) {
    if (kSourceAccountKinds[i] == kind) return static_cast<int>(i);
  }
  return -1;
}
int source_of_key(std::string_view key) {
  for (size_t i = 0; i < kSourceKeys.size(); ++i) {
    if (kSourceKeys[i] == key) return static_cast<int>(i);
  }
  return -1;
}

bool posted_effect(const std::string& state) { return state == "posted" || state == "post"; }

std::string_view code_label(std::string_view code) {
  if (code == "receipt") return "资金到账";
  if (code == "allocation") return "分配到学校";
  if (code == "commitment") return "承诺（名单）";
  if (code == "payment") return "发放";
  if (code == "return") return "退回";
  if (code == "correction") return "更正";
  return code;
}

std::string_view state_label(std::string_view state) {
  if (state == "posted") return "已入账";
  if (state == "pending_open") return "待定（未处理）";
  if (state == "pending_resolved") return "待定（已确认或作废）";
  if (state == "post") return "确认入账";
  if (state == "void") return "作废";
  return state;
}

std::string_view account_kind_label(std::string_view kind) {
  if (kind == "source_central") return "中央财政资金";
  if (kind == "source_provincial") return "省级财政资金";
  if (kind == "source_local") return "市县财政资金";
  if (kind == "source_donor") return "社会捐助资金";
  if (kind == "source_school") return "学校自筹资金";
  if (kind == "dedicated") return "资助专户";
  if (kind == "school_allocation") return "学校分配额度";
  if (kind == "payable") return "应付学生资助";
  if (kind == "paid_out") return "已发放";
  if (kind == "returned") return "已退回";
  return kind;
}

std::string_view line_status_label(std::string_view status) {
  if (status == "prepared") return "已制单";
  if (status == "pending") return "银行处理中";
  if (status == "paid") return "已支付";
  if (status == "failed") return "失败";
  if (status == "cancelled") return "已取消";
  return status;
}

std::string datetime_label(int64_t ms) {
  if (ms == 0) return "";
  const Date d = china_date(ms);
  const int64_t in_day = ((ms + kChinaOffsetMs) % kDayMs + kDayMs) % kDayMs / 1000;
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  return d.iso() + buf;
}

Result<void> require(const Actor& actor, Permission permission) {
  if (!roles_grant(actor.roles, permission)) return fail("FORBIDDEN", "没有执行此操作的权限");
  return {};
}

std::string level_label(const std::optional<Policy>& policy, int level) {
  if (policy) {
    const int i = policy->level_index(level);
    if (i >= 0) return policy->levels[static_cast<size_t>(i)].name;
  }
  return "第" + std::to_string(level) + "档";
}

// The figures of a cycle from the store, in the caller's transaction.
Result<FundUse> compute(App& app, store::Store& store, const store::Cycle& cycle) {
  FundUse f;
  f.cycle_id = cycle.id;
  f.county_code = cycle.county_code;
  f.county_name = cycle.county_name;
  f.school_year = cycle.school_year;
  f.cycle_name = cycle.name;
  f.as_of_ms = app.now_ms();
  for (size_t i = 0; i < kSourceKeys.size(); ++i) {
    SourceFigures s;
    s.key = std::string(kSourceKeys[i]);
    s.label = std::string(fund_source_label(static_cast<FundSource>(i)));
    f.sources.push_back(std::move(s));
  }
  auto sums = store.fund_transfer_sums(cycle.county_path, cycle.id, kAllTimeFrom, kAllTimeTo);
  if (!sums) return tl::unexpected(sums.error());
  std::map<std::string, DonorFigures> donors;
  for (const store::TransferSum& r : *sums) {
    // A correction takes its amount off what it corrects.
    const int64_t amount = r.code == "correction" ? -r.amount_fen : r.amount_fen;
    if (r.of_code == "receipt" && posted_effect(r.state)) {
      const int i = source_of_account_kind(r.debit_kind);
      if (i < 0) continue;
      SourceFigures& s = f.sources[static_cast<size_t>(i)];
      (r.has_cycle ? s.received_fen : s.received_without_cycle_fen) += amount;
      if (static_cast<size_t>(i) == kDonor) {
        DonorFigures& d = donors[r.source];
        d.name = r.source;
        (r.has_cycle ? d.received_fen : d.received_without_cycle_fen) += amount;
      }
    } else if (r.of_code == "allocation" && posted_effect(r.state)) {
      (r.has_cycle ? f.allocated_fen : f.allocated_without_cycle_fen) += amount;
    } else if (r.of_code == "payment" && r.has_cycle) {
      const int i = source_of_key(r.source);
      if (posted_effect(r.state)) {
        if (i >= 0) f.sources[static_cast<size_t>(i)].paid_fen += amount;
        f.totals.paid_fen += amount;
      } else if (r.state == "pending_open") {
        if (i >= 0) f.sources[static_cast<size_t>(i)].paying_fen += amount;
        f.totals.paying_fen += amount;
      }
    } else if (r.of_code == "return" && r.has_cycle && posted_effect(r.state)) {
      const int i = source_of_key(r.source);
      if (i >= 0) {
        f.sources[static_cast<size_t>(i)].returned_fen += amount;
      } else {
        f.returned_unattributed_fen += amount;
      }
      f.totals.returned_fen += amount;
    }
  }
  for (auto& [name, d] : donors) f.sources[kDonor].donors.push_back(d);
  f.totals.key = "total";
  f.totals.label = "合计";
  for (const SourceFigures& s : f.sources) {
    f.totals.received_fen += s.received_fen;
    f.totals.received_without_cycle_fen += s.received_without_cycle_fen;
  }

  std::optional<Policy> policy;
  if (cycle.policy_version) {
    auto p = cycle_policy(store, cycle);
    if (p) policy = std::move(*p);
  }
  auto paid = store.paid_by_school_level(cycle.id);
  if (!paid) return tl::unexpected(paid.error());
  for (const store::PaidBySchoolLevel& p : *paid) {
    if (f.schools.empty() || f.schools.back().school_code != p.school_code) {
      SchoolFigures s;
      s.school_code = p.school_code;
      s.school_name = p.school_name;
      f.schools.push_back(std::move(s));
    }
    SchoolFigures& s = f.schools.back();
    if (p.level == 0) {
      s.students = p.students;
      s.amount_fen = p.amount_fen;
      f.students_paid += p.students;
    } else {
      s.levels.push_back({p.level, level_label(policy, p.level), p.students, p.amount_fen});
    }
  }
  return f;
}

boost::json::object source_json(const SourceFigures& s) {
  boost::json::object o({
      {"source", s.key},
      {"label", s.label},
      {"received_fen", s.received_fen},
      {"received_without_cycle_fen", s.received_without_cycle_fen},
      {"paid_fen", s.paid_fen},
      {"paying_fen", s.paying_fen},
      {"returned_fen", s.returned_fen},
  });
  if (s.key == "donor") {
    boost::json::array donors;
    for (const DonorFigures& d : s.donors) {
      donors.push_back(boost::json::object({{"name", d.name},
                                            {"received_fen", d.received_fen},
                                            {"received_without_cycle_fen", d.received_without_cycle_fen}}));
    }
    o.emplace("donors", std::move(donors));
  }
  return o;
}

FundPublicationView view_of(const store::FundPublication& p) {
  FundPublicationView v;
  v.id = p.id;
  v.cycle_id = p.cycle_id;
  v.county_code = p.county_code;
  v.county_name = p.county_name;
  v.published_at_ms = p.published_at_ms;
  v.content = p.content;
  v.content_sm3 = p.content_sm3;
  return v;
}

// The county an audit report is about.
Result<store::OrgNode> report_county(store::Store& store, const Actor& actor,
                                     const std::optional<std::string>& county_code) {
  if (!county_code || county_code->empty()) {
    if (actor.org_kind != store::OrgKind::kCounty) {
      return field_error("BAD_VALUE", "请指定区县代码（county）", "county");
    }
    auto node = store.get_org_node(actor.org_id);
    if (!node) return tl::unexpected(node.error());
    if (!*node) return fail("NOT_FOUND", "区县不存在");
    return std::move(**node);
  }
  auto node = store.find_org_node(*county_code);
  if (!node) return tl::unexpected(node.error());
  if (!*node || (*node)->kind != store::OrgKind::kCounty || !actor.in_scope((*node)->path)) {
    return field_error("NOT_FOUND", "区县不存在", "county");
  }
  return std::move(**node);
}

struct SumKey {
  std::string code, state, source_kind, source_name;
  auto operator<=>(const SumKey&) const = default;
};

print::ReportSheet sums_sheet(const std::vector<store::TransferSum>& sums) {
  // Grouped by code, state and source (kind; a receipt's also by name): a
  // commitment's `source` names its filing and is left to the detail sheet.
  std::map<SumKey, std::pair<int64_t, int64_t>> grouped;
  for (const store::TransferSum& r : sums) {
    SumKey k{r.code, r.state, "", ""};
    int i = -1;
    if (r.of_code == "receipt") {
      i = source_of_account_kind(r.debit_kind);
      k.source_name = r.source;
    } else if (r.of_code == "payment" || r.of_code == "return") {
      i = source_of_key(r.source);
    }
    if (i >= 0) k.source_kind = std::string(kSourceKeys[static_cast<size_t>(i)]);
    auto& g = grouped[k];
    g.first += r.count;
    g.second += r.amount_fen;
  }
  print::ReportSheet s;
  s.name = "转账汇总";
  s.header = {"业务类型", "业务代码", "状态", "资金来源", "来源代码", "来源名称", "笔数", "金额（元）"};
  s.widths = {14, 12, 20, 12, 12, 24, 8, 16};
  int64_t count = 0, posted = 0;
  for (const auto& [k, g] : grouped) {
    const int i = source_of_key(k.source_kind);
    s.rows.push_back({ReportCell::of_text(std::string(code_label(k.code))), ReportCell::of_text(k.code),
                      ReportCell::of_text(std::string(state_label(k.state))),
                      ReportCell::of_text(i >= 0 ? std::string(fund_source_label(static_cast<FundSource>(i))) : ""),
                      ReportCell::of_text(k.source_kind), ReportCell::of_text(k.source_name),
                      ReportCell::integer(g.first), ReportCell::money(g.second)});
    count += g.first;
    if (posted_effect(k.state)) posted += g.second;
  }
  s.rows.push_back({ReportCell::of_text("合计（已入账）"), ReportCell::empty(), ReportCell::empty(), ReportCell::empty(),
                    ReportCell::empty(), ReportCell::empty(), ReportCell::integer(count), ReportCell::money(posted)});
  s.bold_last_row = true;
  return s;
}

print::ReportSheet balances_sheet(const std::vector<store::AccountMovement>& accounts) {
  print::ReportSheet s;
  s.name = "账户余额";
  s.header = {"机构代码", "机构名称", "账户", "账户编号", "期初余额", "本期借方", "本期贷方", "期末余额",
              "当前待定借方", "当前待定贷方"};
  s.widths = {14, 28, 16, 14, 16, 16, 16, 16, 16, 16};
  for (const store::AccountMovement& a : accounts) {
    const int64_t opening = a.credits_before_fen - a.debits_before_fen;
    const int64_t closing = opening + a.credits_in_fen - a.debits_in_fen;
    s.rows.push_back({ReportCell::of_text(a.org_code), ReportCell::of_text(a.org_name),
                      ReportCell::of_text(std::string(account_kind_label(a.kind))),
                      ReportCell::of_text(std::to_string(a.account_id)), ReportCell::money(opening),
                      ReportCell::money(a.debits_in_fen), ReportCell::money(a.credits_in_fen),
                      ReportCell::money(closing), ReportCell::money(a.debits_pending_fen),
                      ReportCell::money(a.credits_pending_fen)});
  }
  return s;
}

print::ReportSheet payments_sheet(const std::vector<store::AuditPaymentRow>& rows) {
  print::ReportSheet s;
  s.name = "付款明细";
  s.header = {"批次号", "明细流水号", "批次状态", "渠道", "资助周期", "学期", "学校标识码", "学校名称",
              "学籍号（脱敏）", "资助档次", "金额（元）", "状态", "银行流水号", "处理日期", "备案编号",
              "批次审批时间", "结果登记时间"};
  s.widths = {20, 22, 10, 8, 8, 6, 14, 28, 22, 8, 14, 12, 24, 12, 10, 20, 20};
  int64_t paid = 0, paid_count = 0;
  for (const store::AuditPaymentRow& r : rows) {
    s.rows.push_back({ReportCell::of_text(r.batch_no), ReportCell::of_text(r.line_no),
                      ReportCell::of_text(r.batch_state), ReportCell::of_text(r.channel == "school" ? "经学校" : "银行代发"),
                      ReportCell::integer(r.cycle_id), ReportCell::integer(r.term), ReportCell::of_text(r.school_code),
                      ReportCell::of_text(r.school_name), ReportCell::of_text(r.student_no_masked),
                      ReportCell::integer(r.level), ReportCell::money(r.amount_fen),
                      ReportCell::of_text(std::string(line_status_label(r.status))), ReportCell::of_text(r.bank_ref),
                      ReportCell::of_text(r.processed_on), ReportCell::of_text(std::to_string(r.filing_id)),
                      ReportCell::of_text(datetime_label(r.approved_at_ms)),
                      ReportCell::of_text(datetime_label(r.settled_at_ms))});
    if (r.status == "paid") {
      paid += r.amount_fen;
      ++paid_count;
    }
  }
  std::vector<ReportCell> total(17, ReportCell::empty());
  total[0] = ReportCell::of_text("合计（已支付）");
  total[9] = ReportCell::integer(paid_count);
  total[10] = ReportCell::money(paid);
  s.rows.push_back(std::move(total));
  s.bold_last_row = true;
  return s;
}

print::ReportSheet transfers_sheet(const std::vector<store::AuditTransferRow>& rows) {
  print::ReportSheet s;
  s.name = "转账明细";
  s.header = {"顺序号", "转账编号", "业务类型", "状态", "借方机构", "借方账户", "贷方机构", "贷方账户",
              "金额（元）", "资助周期", "来源", "预算文件号", "所处理的待定转账", "所更正的转账", "记账时间"};
  s.widths = {10, 18, 12, 18, 14, 14, 14, 14, 14, 8, 40, 24, 18, 18, 20};
  for (const store::AuditTransferRow& r : rows) {
    s.rows.push_back({ReportCell::integer(r.seq), ReportCell::of_text(std::to_string(r.id)),
                      ReportCell::of_text(std::string(code_label(r.code))),
                      ReportCell::of_text(std::string(state_label(r.state))), ReportCell::of_text(r.debit_org_code),
                      ReportCell::of_text(std::string(account_kind_label(r.debit_kind))),
                      ReportCell::of_text(r.credit_org_code),
                      ReportCell::of_text(std::string(account_kind_label(r.credit_kind))),
                      ReportCell::money(r.amount_fen),
                      r.cycle_id ? ReportCell::integer(r.cycle_id) : ReportCell::empty(), ReportCell::of_text(r.source),
                      ReportCell::of_text(r.budget_doc),
                      ReportCell::of_text(r.pending_id ? std::to_string(r.pending_id) : ""),
                      ReportCell::of_text(r.corrects_id ? std::to_string(r.corrects_id) : ""),
                      ReportCell::of_text(datetime_label(r.timestamp_ms))});
  }
  return s;
}

print::ReportSheet notes_sheet(const store::OrgNode& county, const Date& from, const Date& to, int64_t now_ms) {
  print::ReportSheet s;
  s.name = "说明";
  s.header = {"项目", "内容"};
  s.widths = {16, 100};
  auto row = [&s](std::string a, std::string b) {
    s.rows.push_back({ReportCell::of_text(std::move(a)), ReportCell::of_text(std::move(b))});
  };
  row("区县", county.name + "（" + county.code + "）");
  row("期间", from.iso() + " 至 " + to.iso() + "（北京时间，含首尾两日）");
  row("生成时间", datetime_label(now_ms));
  row("转账汇总", "期间内记账的每一笔转账，按业务类型、状态和资金来源汇总；更正冲减被更正的业务；合计为已入账（单步入账与确认入账）的金额。");
  row("账户余额", "区县及其学校的每个资金账户：期初余额为期间开始前已入账的贷方减借方，期末余额加上期间内的已入账发生额；来源账户以负数表示已提供的资金；待定金额为生成时的在途金额。");
  row("付款明细", "批次在期间内审批的全部明细（无论现状），以及在期间内登记结果（成功或失败）的明细；学籍号为脱敏形式，备案编号可对应备案名单及其审批记录。");
  row("转账明细", "期间内记账的每一笔转账，按记账顺序；付款转账编号可由明细编号推出（见 docs/payments.md）。");
  return s;
}

}  // namespace

Result<FundUse> fund_use(App& app, store::Store& store, const Actor& actor, int64_t cycle_id) {
  if (auto ok = require(actor, Permission::kFundsRead); !ok) return tl::unexpected(ok.error());
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (auto ok = store.begin_read(); !ok) return tl::unexpected(ok.error());
  auto f = compute(app, store, *cycle);
  (void)store.rollback();
  return f;
}

std::string fund_use_json(const FundUse& f) {
  boost::json::array sources;
  for (const SourceFigures& s : f.sources) sources.push_back(source_json(s));
  boost::json::array schools;
  for (const SchoolFigures& s : f.schools) {
    boost::json::array levels;
    for (const LevelFigures& l : s.levels) {
      levels.push_back(boost::json::object(
          {{"level", l.level}, {"label", l.label}, {"students", l.students}, {"amount_fen", l.amount_fen}}));
    }
    schools.push_back(boost::json::object({{"school_code", s.school_code},
                                           {"school_name", s.school_name},
                                           {"students", s.students},
                                           {"amount_fen", s.amount_fen},
                                           {"levels", std::move(levels)}}));
  }
  boost::json::object totals = source_json(f.totals);
  boost::json::object root({
      {"format", "zizhu-fund-use-1"},
      {"cycle_id", f.cycle_id},
      {"county_code", f.county_code},
      {"county_name", f.county_name},
      {"school_year", f.school_year},
      {"cycle_name", f.cycle_name},
      {"as_of_ms", f.as_of_ms},
      {"sources", std::move(sources)},
      {"totals", std::move(totals)},
      {"allocated_fen", f.allocated_fen},
      {"allocated_without_cycle_fen", f.allocated_without_cycle_fen},
      {"returned_unattributed_fen", f.returned_unattributed_fen},
      {"students_paid", f.students_paid},
      {"schools", std::move(schools)},
  });
  return boost::json::serialize(root);
}

Result<FundPublicationView> publish_fund_use(App& app, store::Store& store, const Actor& actor, int64_t cycle_id) {
  if (auto ok = require(actor, Permission::kFundsManage); !ok) return tl::unexpected(ok.error());
  if (actor.org_kind != store::OrgKind::kCounty) return fail("RULE", "资金公示由区县财务发布：当前账号不属于区县");
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (cycle->county_id != actor.org_id) return fail("NOT_FOUND", "资助周期不存在");
  auto figures = compute(app, store, *cycle);
  if (!figures) return tl::unexpected(figures.error());
  store::FundPublication p;
  p.cycle_id = cycle->id;
  p.county_id = cycle->county_id;
  p.published_at_ms = figures->as_of_ms;
  p.published_by = actor.user_id;
  p.content = fund_use_json(*figures);
  p.content_sm3 = crypto::to_hex(crypto::sm3(p.content));
  auto id = store.add_fund_publication(p);
  if (!id) return tl::unexpected(id.error());
  p.id = *id;
  p.county_code = cycle->county_code;
  p.county_name = cycle->county_name;
  if (auto ok = record(app, store, actor,
                       {"funds.publish", "fund_publication", std::to_string(*id), "ok",
                        summary_json({{"cycle_id", std::to_string(cycle->id)},
                                      {"received", format_yuan(Fen::from_fen(figures->totals.received_fen))},
                                      {"paid", format_yuan(Fen::from_fen(figures->totals.paid_fen))},
                                      {"sm3", p.content_sm3}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(p);
}

Result<std::vector<FundPublicationView>> public_fund_publications(App&, store::Store& store,
                                                                  const std::optional<std::string>& county_code) {
  std::string path = "/";
  if (county_code) {
    auto county = store.find_org_node(*county_code);
    if (!county) return tl::unexpected(county.error());
    if (!*county || (*county)->kind != store::OrgKind::kCounty) return std::vector<FundPublicationView>();
    path = (*county)->path;
  }
  auto found = store.fund_publications(path, std::nullopt, kPublicFundPublicationsMax);
  if (!found) return tl::unexpected(found.error());
  std::vector<FundPublicationView> out;
  for (const auto& p : *found) out.push_back(view_of(p));
  return out;
}

Result<AuditReportFile> audit_report(App& app, store::Store& store, const Actor& actor,
                                     const std::optional<std::string>& county_code, std::string_view from,
                                     std::string_view to) {
  if (auto ok = require(actor, Permission::kFundsRead); !ok) return tl::unexpected(ok.error());
  const auto from_date = parse_date(from);
  if (!from_date) return field_error("BAD_VALUE", "起始日期须为 YYYY-MM-DD", "from");
  const auto to_date = parse_date(to);
  if (!to_date) return field_error("BAD_VALUE", "截止日期须为 YYYY-MM-DD", "to");
  if (to_date->days() < from_date->days()) return field_error("BAD_VALUE", "截止日期早于起始日期", "to");
  if (to_date->days() - from_date->days() >= kAuditPeriodDaysMax) {
    return field_error("BAD_VALUE", "期间最长 " + std::to_string(kAuditPeriodDaysMax) + " 天", "to");
  }
  auto county = report_county(store, actor, county_code);
  if (!county) return tl::unexpected(county.error());
  // Days in China: [from 00:00, to + 1 day 00:00) at UTC+8.
  const int64_t from_ms = int64_t{from_date->days()} * kDayMs - kChinaOffsetMs;
  const int64_t to_ms = (int64_t{to_date->days()} + 1) * kDayMs - kChinaOffsetMs;

  // One snapshot for every sheet, so that they agree with each other.
  if (auto ok = store.begin_read(); !ok) return tl::unexpected(ok.error());
  struct Rollback {
    store::Store& s;
    ~Rollback() { (void)s.rollback(); }
  } rollback{store};
  auto sums = store.fund_transfer_sums(county->path, std::nullopt, from_ms, to_ms);
  if (!sums) return tl::unexpected(sums.error());
  auto accounts = store.fund_account_movements(county->path, from_ms, to_ms);
  if (!accounts) return tl::unexpected(accounts.error());
  auto payments = store.audit_payment_rows(county->id, from_ms, to_ms, kAuditRowsMax);
  if (!payments) return tl::unexpected(payments.error());
  auto transfers = store.audit_transfer_rows(county->path, from_ms, to_ms, kAuditRowsMax);
  if (!transfers) return tl::unexpected(transfers.error());
  (void)store.rollback();

  const std::vector<print::ReportSheet> sheets = {sums_sheet(*sums), balances_sheet(*accounts),
                                                  payments_sheet(*payments), transfers_sheet(*transfers),
                                                  notes_sheet(*county, *from_date, *to_date, app.now_ms())};
  auto bytes = print::report_xlsx(sheets, county->name + " 资助资金审计报表 " + from_date->iso() + " 至 " + to_date->iso(),
                                  app.now_ms() / 1000);
  if (!bytes) return tl::unexpected(bytes.error());
  AuditReportFile file;
  file.bytes = std::move(*bytes);
  file.filename = "audit-" + county->code + "-" + from_date->iso() + "-" + to_date->iso() + ".xlsx";
  file.sm3 = crypto::to_hex(crypto::sm3(file.bytes));
  file.transfers = static_cast<int64_t>(transfers->size());
  file.payments = static_cast<int64_t>(payments->size());
  if (auto ok = record(app, store, actor,
                       {"funds.audit_report", "county", county->code, "ok",
                        summary_json({{"from", from_date->iso()},
                                      {"to", to_date->iso()},
                                      {"transfers", std::to_string(file.transfers)},
                                      {"payments", std::to_string(file.payments)},
                                      {"sm3", file.sm3}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  return file;
}

}  // namespace zizhu::app
