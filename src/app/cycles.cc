#include "app/cycles.h"

#include <array>

#include "app/audit_log.h"
#include "app/errors.h"
#include "crypto/sm3.h"

namespace zizhu::embedded {
std::string_view default_policy_toml();
}

namespace zizhu::app {

namespace {

constexpr std::array<std::string_view, 7> kStateLabels = {"草稿", "申请中", "评审中", "公示中",
                                                          "备案中", "已备案", "已关闭"};

std::string sm3_hex(std::string_view text) { return crypto::to_hex(crypto::sm3(text)); }

// "2026-2027": two four-digit years, the second one after the first.
bool valid_school_year(std::string_view y) {
  if (y.size() != 9 || y[4] != '-') return false;
  int first = 0, second = 0;
  for (size_t i = 0; i < 9; ++i) {
    if (i == 4) continue;
    if (y[i] < '0' || y[i] > '9') return false;
    int& n = i < 4 ? first : second;
    n = n * 10 + (y[i] - '0');
  }
  return first >= 2000 && second == first + 1;
}

// The value after `key` (up to `end_char`) replaced by `value`; the text as
// it was when the key is absent.
std::string replaced_value(std::string text, std::string_view key, char end_char, std::string_view value) {
  const size_t at = text.find(key);
  if (at == std::string::npos) return text;
  const size_t start = at + key.size();
  const size_t end = text.find(end_char, start);
  if (end == std::string::npos) return text;
  return text.replace(start, end - start, value);
}

// The default policy for another school year: the default file names one
// year and its reference date (1 September); a new cycle runs its own.
std::string default_policy_for(std::string_view school_year) {
  std::string out(embedded::default_policy_toml());
  out = replaced_value(std::move(out), "school_year = \"", '"', school_year);
  const std::string reference = std::string(school_year.substr(0, 4)) + "-09-01";
  return replaced_value(std::move(out), "\nreference_date = ", ' ', reference);
}

Result<void> record_cycle(App& app, store::Store& store, const Actor& actor, std::string action, int64_t cycle_id,
                          std::string summary = "{}") {
  return record(app, store, actor, {std::move(action), "cycle", std::to_string(cycle_id), "ok", std::move(summary)});
}

Result<CycleView> reload(store::Store& store, int64_t cycle_id) {
  auto c = store.get_cycle(cycle_id);
  if (!c) return tl::unexpected(c.error());
  if (!*c) return fail("NOT_FOUND", "资助周期不存在");
  return cycle_view(**c);
}

}  // namespace

std::string_view cycle_state_label(store::CycleState state) { return kStateLabels[static_cast<size_t>(state)]; }

CycleView cycle_view(const store::Cycle& c) {
  CycleView v;
  v.id = c.id;
  v.county_code = c.county_code;
  v.county_name = c.county_name;
  v.school_year = c.school_year;
  v.name = c.name;
  v.state = std::string(store::cycle_state_key(c.state));
  v.state_label = std::string(cycle_state_label(c.state));
  v.policy_version = c.policy_version;
  if (c.applications_open_on) v.applications_open_on = c.applications_open_on->iso();
  if (c.applications_close_on) v.applications_close_on = c.applications_close_on->iso();
  v.created_at_ms = c.created_at_ms;
  v.updated_at_ms = c.updated_at_ms;
  return v;
}

Date china_date(int64_t ms) {
  constexpr int64_t kMsPerDay = 86'400'000;
  constexpr int64_t kChinaOffsetMs = 8 * 3'600'000;
  const int64_t local_ms = ms + kChinaOffsetMs;
  const int64_t days = local_ms >= 0 ? local_ms / kMsPerDay : (local_ms - kMsPerDay + 1) / kMsPerDay;
  return Date::from_days(static_cast<int32_t>(days));
}

Date china_today(const App& app) { return china_date(app.now_ms()); }

Result<store::Cycle> visible_cycle(store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto c = store.get_cycle(cycle_id);
  if (!c) return tl::unexpected(c.error());
  if (!*c) return fail("NOT_FOUND", "资助周期不存在");
  const store::Cycle& cycle = **c;
  const bool above = actor.in_scope(cycle.county_path);  // the county is in the actor's subtree
  const bool below = std::string_view(actor.org_path).substr(0, cycle.county_path.size()) == cycle.county_path;
  if (!above && !below) return fail("NOT_FOUND", "资助周期不存在");
  // A DRAFT is the county's own business: schools do not see it yet.
  if (!above && cycle.state == store::CycleState::kDraft) return fail("NOT_FOUND", "资助周期不存在");
  return std::move(**c);
}

Result<store::Cycle> managed_cycle(store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto c = visible_cycle(store, actor, cycle_id);
  if (!c) return c;
  if (!actor.in_scope(c->county_path)) return fail("NOT_FOUND", "资助周期不存在");
  return c;
}

Result<void> require_state(const store::Cycle& cycle, std::initializer_list<store::CycleState> allowed,
                           std::string_view doing) {
  for (store::CycleState s : allowed) {
    if (cycle.state == s) return {};
  }
  return fail("STATE_CONFLICT", "资助周期当前为“" + std::string(cycle_state_label(cycle.state)) + "”状态，不能" +
                                    std::string(doing));
}

Result<Policy> cycle_policy(store::Store& store, const store::Cycle& cycle) {
  if (!cycle.policy_version) return fail("RULE", "资助周期尚未设置资助政策");
  auto versions = store.policy_versions(cycle.id);
  if (!versions) return tl::unexpected(versions.error());
  for (const auto& v : *versions) {
    if (v.version == *cycle.policy_version) return parse_policy(v.toml, "资助政策");
  }
  return fail("INTERNAL", "资助政策版本缺失");
}

Result<std::vector<CycleView>> list_cycles(App&, store::Store& store, const Actor& actor) {
  auto cycles = store.cycles_for(actor.org_path);
  if (!cycles) return tl::unexpected(cycles.error());
  std::vector<CycleView> out;
  for (const auto& c : *cycles) {
    if (c.state == store::CycleState::kDraft && !actor.in_scope(c.county_path)) continue;
    out.push_back(cycle_view(c));
  }
  return out;
}

Result<CycleView> get_cycle(App&, store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto c = visible_cycle(store, actor, cycle_id);
  if (!c) return tl::unexpected(c.error());
  return cycle_view(*c);
}

Result<CycleView> create_cycle(App& app, store::Store& store, const Actor& actor, std::string_view school_year,
                               std::string_view name) {
  if (actor.org_kind != store::OrgKind::kCounty) {
    return fail("RULE", "资助周期由区县资助中心创建：当前账号不属于区县");
  }
  if (!valid_school_year(school_year)) {
    return field_error("BAD_VALUE", "学年须写作 2026-2027（相邻两年）", "school_year");
  }
  std::string title(name);
  if (title.empty()) title = actor.org_name + " " + std::string(school_year) + " 学年义务教育学生资助";
  if (title.size() > 200) return field_error("BAD_VALUE", "名称不超过 200 字节", "name");
  const std::string toml = default_policy_for(school_year);
  // The default must read as a policy for the new year; checked before
  // anything is written.
  if (auto ok = parse_policy(toml, "默认资助政策"); !ok) return tl::unexpected(ok.error());

  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto id = store.create_cycle({actor.org_id, std::string(school_year), title, app.now_ms()});
  if (!id) {
    if (id.error().code == "CONFLICT") return field_error("CONFLICT", "本区县该学年的资助周期已存在", "school_year");
    return tl::unexpected(id.error());
  }
  store::PolicyVersion policy;
  policy.cycle_id = *id;
  policy.toml = toml;
  policy.sm3 = sm3_hex(toml);
  if (actor.user_id != 0) policy.created_by = actor.user_id;
  policy.created_at_ms = app.now_ms();
  if (auto v = store.add_policy_version(policy); !v) return tl::unexpected(v.error());
  if (auto ok = record_cycle(app, store, actor, "cycle.create", *id,
                             summary_json({{"school_year", school_year}, {"policy_sm3", policy.sm3}}));
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return reload(store, *id);
}

Result<PolicyView> get_policy(App&, store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto c = visible_cycle(store, actor, cycle_id);
  if (!c) return tl::unexpected(c.error());
  auto versions = store.policy_versions(cycle_id);
  if (!versions) return tl::unexpected(versions.error());
  PolicyView v;
  for (const auto& p : *versions) {
    v.versions.push_back({p.version, p.sm3, p.created_at_ms});
    if (c->policy_version && p.version == *c->policy_version) {
      v.version = p.version;
      v.toml = p.toml;
      v.sm3 = p.sm3;
    }
  }
  return v;
}

Result<PolicyView> set_policy(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                              std::string_view toml) {
  // Scope, then state, then content: nothing is said about a cycle the actor
  // may not see, and a policy is judged only where it could be stored.
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = managed_cycle(store, actor, cycle_id);
  if (!c) return tl::unexpected(c.error());
  if (auto ok = require_state(*c, {store::CycleState::kDraft}, "修改资助政策"); !ok) return tl::unexpected(ok.error());
  if (toml.size() > kPolicyMaxBytes) return field_error("BAD_VALUE", "政策文本过大", "toml");
  auto parsed = parse_policy(toml, "资助政策");
  if (!parsed) {
    Error e = parsed.error();
    if (e.where.column.empty()) e.where.column = "toml";
    return tl::unexpected(std::move(e));
  }
  if (parsed->school_year != c->school_year) {
    return field_error("RULE", "政策中的学年（" + parsed->school_year + "）与资助周期的学年（" + c->school_year + "）不一致",
                       "school_year");
  }
  store::PolicyVersion policy;
  policy.cycle_id = cycle_id;
  policy.toml = std::string(toml);
  policy.sm3 = sm3_hex(toml);
  if (actor.user_id != 0) policy.created_by = actor.user_id;
  policy.created_at_ms = app.now_ms();
  auto version = store.add_policy_version(policy);
  if (!version) return tl::unexpected(version.error());
  if (auto ok = record_cycle(app, store, actor, "cycle.policy", cycle_id,
                             summary_json({{"version", std::to_string(*version)}, {"policy_sm3", policy.sm3}}));
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return get_policy(app, store, actor, cycle_id);
}

Result<std::vector<BudgetView>> get_budgets(App&, store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto c = visible_cycle(store, actor, cycle_id);
  if (!c) return tl::unexpected(c.error());
  auto budgets = store.budgets(cycle_id);
  if (!budgets) return tl::unexpected(budgets.error());
  std::vector<BudgetView> out;
  for (const auto& b : *budgets) {
    auto node = store.get_org_node(b.school_id);
    if (!node) return tl::unexpected(node.error());
    if (!*node || !actor.in_scope((*node)->path)) continue;  // another school's budget
    out.push_back({b.school_code, b.school_name, b.budget.value()});
  }
  return out;
}

Result<std::vector<BudgetView>> set_budgets(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                            const std::vector<BudgetInput>& budgets) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = managed_cycle(store, actor, cycle_id);
  if (!c) return tl::unexpected(c.error());
  if (auto ok = require_state(*c, {store::CycleState::kDraft, store::CycleState::kOpen}, "修改预算"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (budgets.empty()) return field_error("BAD_VALUE", "请至少填写一所学校的预算", "budgets");
  if (budgets.size() > 10'000) return field_error("BAD_VALUE", "一次最多 10000 所学校", "budgets");
  std::vector<store::SchoolBudget> rows;
  int64_t total = 0;
  for (const auto& b : budgets) {
    if (b.budget_fen < 0 || b.budget_fen > 100'000'000'000) {
      return field_error("BAD_VALUE", "预算须在 0 到 10 亿元之间：" + b.school_code, "budgets");
    }
    auto school = store.find_school(b.school_code);
    if (!school) return tl::unexpected(school.error());
    if (!*school || (*school)->county_id != c->county_id) {
      return field_error("BAD_VALUE", "学校不属于本区县：" + b.school_code, "budgets");
    }
    rows.push_back({(*school)->org_id, b.school_code, (*school)->name, Fen::from_fen(b.budget_fen)});
    total += b.budget_fen;
  }
  if (auto ok = store.set_budgets(cycle_id, rows); !ok) return tl::unexpected(ok.error());
  if (auto ok = record_cycle(app, store, actor, "cycle.budgets", cycle_id,
                             summary_json({{"schools", std::to_string(rows.size())},
                                           {"total_fen", std::to_string(total)}}));
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return get_budgets(app, store, actor, cycle_id);
}

Result<CycleView> set_dates(App& app, store::Store& store, const Actor& actor, int64_t cycle_id, Date open_on,
                            Date close_on) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = managed_cycle(store, actor, cycle_id);
  if (!c) return tl::unexpected(c.error());
  if (auto ok = require_state(*c, {store::CycleState::kDraft, store::CycleState::kOpen}, "修改申请日期"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (close_on < open_on) return field_error("BAD_VALUE", "申请截止日期不能早于开始日期", "applications_close_on");
  if (auto ok = store.set_cycle_dates(cycle_id, open_on, close_on, app.now_ms()); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record_cycle(app, store, actor, "cycle.dates", cycle_id,
                             summary_json({{"open_on", open_on.iso()}, {"close_on", close_on.iso()}}));
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return reload(store, cycle_id);
}

Result<CycleView> open_cycle(App& app, store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = managed_cycle(store, actor, cycle_id);
  if (!c) return tl::unexpected(c.error());
  if (auto ok = require_state(*c, {store::CycleState::kDraft}, "开始受理申请"); !ok) return tl::unexpected(ok.error());
  if (!c->policy_version) return fail("RULE", "请先设置资助政策");
  if (!c->applications_open_on || !c->applications_close_on) return fail("RULE", "请先设置申请的开始和截止日期");
  auto budgets = store.budgets(cycle_id);
  if (!budgets) return tl::unexpected(budgets.error());
  if (budgets->empty()) return fail("RULE", "请先设置学校预算");
  if (auto ok = store.set_cycle_state(cycle_id, store::CycleState::kDraft, store::CycleState::kOpen, app.now_ms());
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record_cycle(app, store, actor, "cycle.open", cycle_id,
                             summary_json({{"policy_version", std::to_string(*c->policy_version)}}));
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return reload(store, cycle_id);
}

Result<CycleView> close_applications(App& app, store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = managed_cycle(store, actor, cycle_id);
  if (!c) return tl::unexpected(c.error());
  if (auto ok = require_state(*c, {store::CycleState::kOpen}, "结束申请"); !ok) return tl::unexpected(ok.error());
  if (auto ok = store.set_cycle_state(cycle_id, store::CycleState::kOpen, store::CycleState::kReview, app.now_ms());
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record_cycle(app, store, actor, "cycle.close_applications", cycle_id); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return reload(store, cycle_id);
}

}  // namespace zizhu::app
