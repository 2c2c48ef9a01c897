#include "app/review.h"

#include <algorithm>
#include <cstdint>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "app/school_list.h"
#include "core/code_list.h"

namespace zizhu::app {

namespace {

constexpr size_t kReasonBytesMax = 500;

std::string level_key(const std::optional<int>& level) { return level ? std::to_string(*level) : "none"; }

// Free text kept in the database and the audit log: bounded, and no ID-like
// digits (errors.h).
Result<void> check_text(std::string_view text, std::string_view field, bool required) {
  if (required && text.empty()) return field_error("BAD_VALUE", "请填写理由", std::string(field));
  if (text.size() > kReasonBytesMax) return field_error("BAD_VALUE", "不超过 500 字节", std::string(field));
  return refuse_id_like_digits(text, std::string(field));
}

// One candidate of the review with everything a check needs.
struct Case {
  store::Cycle cycle;
  store::StudentListing student;
  store::OrgNode school;
  store::IdentificationResult result;
  int64_t run_id = 0;
  Policy policy;
};

// `doing` set: the cycle must be in REVIEW for it (checked before anything
// about the student, so that the state is what a refusal names).
Result<Case> case_of(store::Store& store, const Actor& actor, int64_t cycle_id, int64_t student_id,
                     std::string_view doing = {}) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (!doing.empty()) {
    // APPROVED: a term adjustment reviews again.
    if (auto ok = require_state(*cycle, {store::CycleState::kReview, store::CycleState::kApproved}, doing); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  auto student = store.get_student_listing(student_id);
  if (!student) return tl::unexpected(student.error());
  if (!*student) return field_error("NOT_FOUND", "学生不存在", "student_id");
  auto school = store.get_org_node((*student)->school_id);
  if (!school) return tl::unexpected(school.error());
  if (!*school || !actor.in_scope((*school)->path) ||
      std::string_view((*school)->path).substr(0, cycle->county_path.size()) != cycle->county_path) {
    return field_error("NOT_FOUND", "学生不存在", "student_id");
  }
  if (!doing.empty()) {
    // Each school moves on from its review on its own (school_list.h).
    auto stage = list_state(store, cycle_id, (*student)->school_id);
    if (!stage) return tl::unexpected(stage.error());
    if (auto ok = require_list_stage(*stage, {store::ListStage::kReview}, doing); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  int64_t run_id = 0;
  auto result = store.latest_result(cycle_id, (*student)->school_id, student_id, &run_id);
  if (!result) return tl::unexpected(result.error());
  if (!*result) return field_error("NOT_FOUND", "该学生不在最新的资格认定结果中，请先运行资格认定", "student_id");
  auto policy = cycle_policy(store, *cycle);
  if (!policy) return tl::unexpected(policy.error());
  return Case{std::move(*cycle), std::move(**student), std::move(**school), std::move(**result), run_id,
              std::move(*policy)};
}

// The engine's suggestion: its level where it would fund (or would, but for
// a blocking flag); no aid otherwise.
std::optional<int> suggestion(const store::IdentificationResult& r) {
  if (r.status == "FUNDED" || r.status == "BLOCKED") return r.level;
  return std::nullopt;
}

Result<std::vector<std::string>> unresolved_blocking(store::Store& store, const Case& c) {
  auto resolved = store.flag_resolutions(c.cycle.id, c.student.id);
  if (!resolved) return tl::unexpected(resolved.error());
  std::vector<std::string> out;
  for (const auto& flag : split_codes(c.result.flags)) {
    if (!c.policy.is_blocking(flag)) continue;
    const bool done = std::any_of(resolved->begin(), resolved->end(), [&](const auto& r) { return r.flag == flag; });
    if (!done) out.push_back(flag);
  }
  return out;
}

// `basis`: the student's entry is open to a change (a revision after a
// return, an adjustment) and the votes on changing it are the ones shown.
Result<CandidateView> view_of(store::Store& store, const Actor& actor, const Case& c,
                              const std::optional<std::string>& basis = std::nullopt) {
  CandidateView v;
  v.student_id = c.student.id;
  v.student_name = c.student.name;
  v.student_no = c.student.student_no_masked;
  v.grade = c.student.grade;
  v.class_name = c.student.class_name;
  v.status = c.result.status;
  v.candidate = is_candidate(c.result);
  v.score = c.result.score;
  v.suggested_level = suggestion(c.result);
  v.flags = split_codes(c.result.flags);
  auto blocking = unresolved_blocking(store, c);
  if (!blocking) return tl::unexpected(blocking.error());
  v.unresolved_blocking_flags = std::move(*blocking);
  auto votes = basis ? store.change_votes(c.cycle.id, c.student.id, *basis) : store.votes(c.cycle.id, c.student.id);
  if (!votes) return tl::unexpected(votes.error());
  v.vote_basis = basis.value_or("");
  for (const auto& vote : *votes) {
    ++v.votes[level_key(vote.level)];
    ++v.votes_cast;
    if (vote.user_id == actor.user_id) v.my_vote = vote.level;
  }
  auto d = store.decision(c.cycle.id, c.student.id);
  if (!d) return tl::unexpected(d.error());
  if (*d) {
    v.decided = true;
    v.decided_level = (*d)->level;
    v.decided_amount = format_yuan((*d)->amount);
    v.decision_reason = (*d)->reason;
  }
  return v;
}

// The school's list with `student_id` at `amount` (annual) must fit the
// school's budget.
Result<void> check_budget(store::Store& store, int64_t cycle_id, int64_t school_id, int64_t student_id, Fen amount) {
  auto list = current_list(store, cycle_id, school_id);
  if (!list) return tl::unexpected(list.error());
  list->erase(std::remove_if(list->begin(), list->end(), [&](const ListEntry& e) { return e.student_id == student_id; }),
              list->end());
  auto budget = school_budget(store, cycle_id, school_id);
  if (!budget) return tl::unexpected(budget.error());
  const Fen others = committed_total(*list);
  const auto total = others.checked_add(amount);
  if (!total || *total > *budget) {
    return fail("RULE", "超出本校预算：已决定 " + format_yuan(others) + " 元，本次 " + format_yuan(amount) +
                            " 元，预算 " + format_yuan(*budget) + " 元");
  }
  return {};
}

// Whether the panel now votes on changing the student's entry, and on which
// entry: after the county returned the list (round 1) or in a term
// adjustment (round > 1). nullopt: the ordinary review vote before the
// decision.
struct ChangeState {
  bool returned = false;  // the school's latest filing of this round came back
  int round = 1;
};
Result<ChangeState> change_state(store::Store& store, int64_t cycle_id, int64_t school_id) {
  auto state = list_state(store, cycle_id, school_id);
  if (!state) return tl::unexpected(state.error());
  auto filings = store.filings_of(cycle_id, school_id);
  if (!filings) return tl::unexpected(filings.error());
  ChangeState out;
  out.round = state->round;
  out.returned = !filings->empty() && filings->back().round == state->round && filings->back().state == "RETURNED";
  return out;
}
std::optional<std::string> change_basis(const ChangeState& state, const ListEntry* entry) {
  if (state.round > 1) return entry ? entry->source : std::string("none");
  if (entry && state.returned) return entry->source;
  return std::nullopt;
}
Result<std::optional<std::string>> basis_of(store::Store& store, int64_t cycle_id, int64_t school_id,
                                            int64_t student_id) {
  auto state = change_state(store, cycle_id, school_id);
  if (!state) return tl::unexpected(state.error());
  auto list = current_list(store, cycle_id, school_id);
  if (!list) return tl::unexpected(list.error());
  const ListEntry* entry = nullptr;
  for (const auto& e : *list) {
    if (e.student_id == student_id) entry = &e;
  }
  return change_basis(*state, entry);
}

// The level the panel's votes allow: the majority, or in a tie one of the
// tied. `tie` set when the vote was tied.
Result<void> check_majority(const CandidateView& now, const std::optional<int>& level, bool* tie) {
  if (now.votes_cast < kQuorumVotes) {
    return fail("RULE", "投票人数不足（已投 " + std::to_string(now.votes_cast) + " 票，至少 " +
                            std::to_string(kQuorumVotes) + " 票）");
  }
  int most = 0;
  for (const auto& [key, count] : now.votes) most = std::max(most, count);
  std::vector<std::string> leading;
  for (const auto& [key, count] : now.votes) {
    if (count == most) leading.push_back(key);
  }
  *tie = leading.size() > 1;
  if (std::find(leading.begin(), leading.end(), level_key(level)) == leading.end()) {
    return field_error("RULE", *tie ? "平票时须在得票最多的意见中选择" : "评审决定须为评审小组的多数意见", "level");
  }
  return {};
}

std::string tally_text(const std::map<std::string, int>& votes) {
  std::string out;
  for (const auto& [level, count] : votes) {
    if (!out.empty()) out += ';';
    out += level + ":" + std::to_string(count);
  }
  return out;
}

}  // namespace

Result<PanelView> get_panel(App&, store::Store& store, const Actor& actor, int64_t cycle_id,
                            const std::optional<std::string>& school_code) {
  auto at = school_of_cycle(store, actor, cycle_id, school_code);
  if (!at) return tl::unexpected(at.error());
  auto members = store.panel(cycle_id, at->school.org_id);
  if (!members) return tl::unexpected(members.error());
  return PanelView{at->school.school_code, std::move(*members), kQuorumVotes};
}

Result<PanelView> set_panel(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                            const std::optional<std::string>& school_code, const std::vector<std::string>& usernames) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto at = school_of_cycle(store, actor, cycle_id, school_code);
  if (!at) return tl::unexpected(at.error());
  if (auto ok = require_state(at->cycle, {store::CycleState::kOpen, store::CycleState::kReview}, "设置评审小组"); !ok) {
    return tl::unexpected(ok.error());
  }
  std::vector<int64_t> ids;
  for (const auto& name : usernames) {
    auto user = store.find_user_by_username(name);
    if (!user) return tl::unexpected(user.error());
    const bool reviewer =
        *user && std::find((*user)->roles.begin(), (*user)->roles.end(), "reviewer") != (*user)->roles.end();
    if (!*user || !reviewer || (*user)->disabled || (*user)->org_id != at->school.org_id) {
      return field_error("BAD_VALUE", "不是本校可用的评审小组成员账号：" + name, "usernames");
    }
    if (std::find(ids.begin(), ids.end(), (*user)->id) == ids.end()) ids.push_back((*user)->id);
  }
  if (static_cast<int>(ids.size()) < kPanelMembersMin) {
    return field_error("RULE", "评审小组至少 3 人", "usernames");
  }
  if (auto ok = store.set_panel(cycle_id, at->school.org_id, ids, actor.user_id, app.now_ms()); !ok) {
    return tl::unexpected(ok.error());
  }
  std::string names;
  for (const auto& n : usernames) names += (names.empty() ? "" : ",") + n;
  if (auto ok = record(app, store, actor,
                       {"review.panel", "cycle", std::to_string(cycle_id), "ok",
                        summary_json({{"school", at->school.school_code}, {"members", names}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return get_panel(app, store, actor, cycle_id, at->school.school_code);
}

Result<std::vector<CandidateView>> review_board(App&, store::Store& store, const Actor& actor, int64_t cycle_id,
                                                const std::optional<std::string>& school_code) {
  auto at = school_of_cycle(store, actor, cycle_id, school_code);
  if (!at) return tl::unexpected(at.error());
  // One read of the school's rows, the policy and the school; then per row
  // the student's listing, votes and decision (indexed lookups).
  int64_t run_id = 0;
  auto rows = school_results(store, cycle_id, at->school, &run_id);
  if (!rows) return tl::unexpected(rows.error());
  auto policy = cycle_policy(store, at->cycle);
  if (!policy) return tl::unexpected(policy.error());
  auto node = store.get_org_node(at->school.org_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node) return fail("NOT_FOUND", "学校不存在");
  auto list = current_list(store, cycle_id, at->school.org_id);
  if (!list) return tl::unexpected(list.error());
  std::map<int64_t, const ListEntry*> entries;
  for (const auto& e : *list) entries[e.student_id] = &e;
  auto state = change_state(store, cycle_id, at->school.org_id);
  if (!state) return tl::unexpected(state.error());
  std::vector<CandidateView> out;
  out.reserve(rows->size());
  for (auto& row : *rows) {
    if (!row.student_id) continue;
    auto listing = store.get_student_listing(*row.student_id);
    if (!listing) return tl::unexpected(listing.error());
    if (!*listing) continue;
    const int64_t student_id = *row.student_id;
    const Case c{at->cycle, std::move(**listing), **node, std::move(row), run_id, *policy};
    const auto found = entries.find(student_id);
    auto v = view_of(store, actor, c, change_basis(*state, found == entries.end() ? nullptr : found->second));
    if (!v) return tl::unexpected(v.error());
    if (auto e = found; e != entries.end()) {
      v->on_list = true;
      v->entry_level = e->second->term2.level;
      v->entry_changed = e->second->source != "d";
    }
    out.push_back(std::move(*v));
  }
  return out;
}

Result<CandidateView> cast_vote(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                int64_t student_id, std::optional<int> level) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = case_of(store, actor, cycle_id, student_id, "评审投票");
  if (!c) return tl::unexpected(c.error());
  auto members = store.panel(cycle_id, c->student.school_id);
  if (!members) return tl::unexpected(members.error());
  const bool member = std::any_of(members->begin(), members->end(),
                                  [&](const store::PanelMember& m) { return m.user_id == actor.user_id; });
  if (!member) return fail("FORBIDDEN", "不是本校本周期的评审小组成员");
  if (level && c->policy.level_index(*level) < 0) return field_error("BAD_VALUE", "资助政策中没有此等级", "level");
  auto basis = basis_of(store, cycle_id, c->student.school_id, student_id);
  if (!basis) return tl::unexpected(basis.error());
  if (*basis) {
    // A change to the entry: the panel votes again, on this entry.
    if (auto ok = store.put_change_vote(cycle_id, **basis, {student_id, actor.user_id, level, app.now_ms()}); !ok) {
      return tl::unexpected(ok.error());
    }
  } else {
    auto decided = store.decision(cycle_id, student_id);
    if (!decided) return tl::unexpected(decided.error());
    if (*decided) return fail("STATE_CONFLICT", "已作出评审决定，不能再投票");
    if (auto ok = store.put_vote(cycle_id, {student_id, actor.user_id, level, app.now_ms()}); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (auto ok = record(app, store, actor,
                       {"review.vote", "student", std::to_string(student_id), "ok",
                        summary_json({{"cycle_id", std::to_string(cycle_id)},
                                      {"level", level_key(level)},
                                      {"on", basis->value_or("decision")}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(store, actor, *c, *basis);
}

Result<CandidateView> decide(App& app, store::Store& store, const Actor& actor, int64_t cycle_id, int64_t student_id,
                             std::optional<int> level, std::string_view reason) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = case_of(store, actor, cycle_id, student_id, "作出评审决定");
  if (!c) return tl::unexpected(c.error());
  auto round = list_state(store, cycle_id, c->student.school_id);
  if (!round) return tl::unexpected(round.error());
  if (round->round > 1) return fail("RULE", "学期调整中请通过名单变更新增或停止资助（自第二学期起）");
  auto existing = store.decision(cycle_id, student_id);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing) return fail("STATE_CONFLICT", "该学生已有评审决定");
  auto members = store.panel(cycle_id, c->student.school_id);
  if (!members) return tl::unexpected(members.error());
  if (static_cast<int>(members->size()) < kPanelMembersMin) return fail("RULE", "本校评审小组不足 3 人，请先设置");
  if (level && c->policy.level_index(*level) < 0) return field_error("BAD_VALUE", "资助政策中没有此等级", "level");
  auto now = view_of(store, actor, *c);
  if (!now) return tl::unexpected(now.error());
  bool tie = false;
  if (auto ok = check_majority(*now, level, &tie); !ok) return tl::unexpected(ok.error());
  const std::optional<int> suggested = suggestion(c->result);
  const bool needs_reason = tie || level != suggested;
  if (auto ok = check_text(reason, "reason", needs_reason); !ok) {
    if (needs_reason && reason.empty()) {
      return field_error("BAD_VALUE", tie ? "平票，须填写决定理由" : "决定与认定建议不同，须填写理由", "reason");
    }
    return tl::unexpected(ok.error());
  }
  if (level && !now->unresolved_blocking_flags.empty()) {
    std::string flags;
    for (const auto& f : now->unresolved_blocking_flags) flags += (flags.empty() ? "" : "、") + f;
    return fail("RULE", "有未核实处理的阻断性标记（" + flags + "），不能决定资助");
  }
  // The school's budget holds the whole list with this decision.
  Fen amount;
  if (level) {
    amount = c->policy.amount_for(c->policy.level_index(*level), c->student.grade >= 7, c->student.boarding);
    if (auto ok = check_budget(store, cycle_id, c->student.school_id, student_id, amount); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  store::ReviewDecision d;
  d.cycle_id = cycle_id;
  d.student_id = student_id;
  d.school_id = c->student.school_id;
  d.level = level;
  d.amount = amount;
  d.suggested_level = suggested;
  d.run_id = c->run_id;
  d.votes = tally_text(now->votes);
  d.reason = std::string(reason);
  d.decided_by = actor.user_id;
  d.decided_at_ms = app.now_ms();
  if (auto ok = store.add_decision(d); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"review.decide", "student", std::to_string(student_id), "ok",
                        summary_json({{"cycle_id", std::to_string(cycle_id)},
                                      {"level", level_key(level)},
                                      {"suggested", level_key(suggested)},
                                      {"votes", d.votes},
                                      {"amount", format_yuan(amount)},
                                      {"reason", reason}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(store, actor, *c);
}

Result<CandidateView> revise_entry(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                   int64_t student_id, std::optional<int> level, std::string_view reason) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = case_of(store, actor, cycle_id, student_id, "变更名单");
  if (!c) return tl::unexpected(c.error());
  auto state = list_state(store, cycle_id, c->student.school_id);
  if (!state) return tl::unexpected(state.error());
  const bool adjustment = state->round > 1;
  auto list = current_list(store, cycle_id, c->student.school_id);
  if (!list) return tl::unexpected(list.error());
  const auto entry = std::find_if(list->begin(), list->end(), [&](const ListEntry& e) { return e.student_id == student_id; });
  if (!adjustment) {
    // Round 1: only a decided entry is revised (a new one is decided).
    if (entry == list->end()) return fail("RULE", "该学生尚无评审决定，请先作出评审决定");
    auto filings = store.filings_of(cycle_id, c->student.school_id);
    if (!filings) return tl::unexpected(filings.error());
    const bool returned = std::any_of(filings->begin(), filings->end(), [](const store::Filing& f) {
      return f.state == "RETURNED";
    });
    if (!returned) return fail("RULE", "评审决定只在区县退回名单后才能修改");
  }
  if (level && c->policy.level_index(*level) < 0) return field_error("BAD_VALUE", "资助政策中没有此等级", "level");
  const std::optional<int> now_level = entry == list->end() ? std::nullopt : entry->term2.level;
  if (now_level == level) return field_error("RULE", "与名单现有等级相同，无需变更", "level");
  if (auto ok = check_text(reason, "reason", true); !ok) return tl::unexpected(ok.error());
  // The panel's votes on changing this entry (as it stands now).
  const std::string basis = entry == list->end() ? std::string("none") : entry->source;
  auto tallied = view_of(store, actor, *c, basis);
  if (!tallied) return tl::unexpected(tallied.error());
  bool tie = false;
  if (auto ok = check_majority(*tallied, level, &tie); !ok) return tl::unexpected(ok.error());
  Fen amount;
  if (level) {
    auto blocking = unresolved_blocking(store, *c);
    if (!blocking) return tl::unexpected(blocking.error());
    if (!blocking->empty()) return fail("RULE", "有未核实处理的阻断性标记，不能决定资助");
    amount = c->policy.amount_for(c->policy.level_index(*level), c->student.grade >= 7, c->student.boarding);
    if (auto ok = check_budget(store, cycle_id, c->student.school_id, student_id, amount); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  store::ListChange change;
  change.cycle_id = cycle_id;
  change.school_id = c->student.school_id;
  change.student_id = student_id;
  change.round = state->round;
  change.level = level;
  change.amount = amount;
  change.from_term = adjustment ? 2 : 1;
  change.cause = adjustment ? "adjustment" : "revision";
  change.reason = std::string(reason);
  change.votes = tally_text(tallied->votes);
  change.made_by = actor.user_id;
  change.made_at_ms = app.now_ms();
  auto id = store.add_list_change(change);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = record(app, store, actor,
                       {adjustment ? "list.adjust" : "list.revise", "student", std::to_string(student_id), "ok",
                        summary_json({{"cycle_id", std::to_string(cycle_id)},
                                      {"round", std::to_string(state->round)},
                                      {"from", level_key(now_level)},
                                      {"level", level_key(level)},
                                      {"votes", change.votes},
                                      {"reason", reason}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(store, actor, *c, "c" + std::to_string(*id));
}

Result<Fen> check_entry_change(store::Store& store, const Actor& actor, int64_t cycle_id, int64_t student_id,
                               std::optional<int> level) {
  auto c = case_of(store, actor, cycle_id, student_id);
  if (!c) return tl::unexpected(c.error());
  if (!level) return Fen();
  if (c->policy.level_index(*level) < 0) return field_error("BAD_VALUE", "资助政策中没有此等级", "level");
  auto blocking = unresolved_blocking(store, *c);
  if (!blocking) return tl::unexpected(blocking.error());
  if (!blocking->empty()) return fail("RULE", "有未核实处理的阻断性标记，不能决定资助");
  const Fen amount = c->policy.amount_for(c->policy.level_index(*level), c->student.grade >= 7, c->student.boarding);
  if (auto ok = check_budget(store, cycle_id, c->student.school_id, student_id, amount); !ok) {
    return tl::unexpected(ok.error());
  }
  return amount;
}

Result<CandidateView> resolve_flag(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                   int64_t student_id, std::string_view flag, std::string_view resolution) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto c = case_of(store, actor, cycle_id, student_id, "核实处理标记");
  if (!c) return tl::unexpected(c.error());
  const auto flags = split_codes(c->result.flags);
  if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
    return field_error("BAD_VALUE", "该学生的认定结果中没有此标记", "flag");
  }
  if (auto ok = check_text(resolution, "resolution", true); !ok) return tl::unexpected(ok.error());
  if (auto ok = store.add_flag_resolution(
          cycle_id, {student_id, std::string(flag), std::string(resolution), actor.user_id, app.now_ms()});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record(app, store, actor,
                       {"review.resolve_flag", "student", std::to_string(student_id), "ok",
                        summary_json({{"cycle_id", std::to_string(cycle_id)}, {"flag", flag},
                                      {"resolution", resolution}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(store, actor, *c);
}

}  // namespace zizhu::app
