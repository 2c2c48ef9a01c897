#include "app/filings.h"

#include <set>

#include "app/announcements.h"
#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "app/list_snapshot.h"
#include "app/objections.h"
#include "app/school_list.h"
#include "core/code_list.h"
#include "core/school_year.h"
#include "crypto/sm3.h"

namespace zizhu::app {

namespace {

constexpr size_t kReasonBytesMax = 500;

std::string_view state_label(std::string_view state) {
  if (state == "SUBMITTED") return "待审核";
  if (state == "RETURNED") return "已退回";
  if (state == "APPROVED") return "已备案";
  return "";
}

FilingView view_of(const store::Filing& f, bool with_snapshot) {
  FilingView v;
  v.id = f.id;
  v.cycle_id = f.cycle_id;
  v.school_code = f.school_code;
  v.school_name = f.school_name;
  v.round = f.round;
  v.state = f.state;
  v.state_label = std::string(state_label(f.state));
  v.snapshot_sm3 = f.snapshot_sm3;
  v.entries = f.entries;
  v.total = format_yuan(f.total);
  v.submitted_at_ms = f.submitted_at_ms;
  v.decided_at_ms = f.decided_at_ms;
  v.reason = f.reason;
  if (with_snapshot) v.snapshot = f.snapshot;
  return v;
}


Result<store::Filing> staff_filing(store::Store& store, const Actor& actor, int64_t id) {
  auto f = store.get_filing(id);
  if (!f) return tl::unexpected(f.error());
  if (!*f) return fail("NOT_FOUND", "备案不存在");
  auto school = store.get_org_node((*f)->school_id);
  if (!school) return tl::unexpected(school.error());
  if (!*school || !actor.in_scope((*school)->path)) return fail("NOT_FOUND", "备案不存在");
  return std::move(**f);
}

// The county's decision on a submitted list, with its checks.
Result<FilingView> decide(App& app, store::Store& store, const Actor& actor, int64_t filing_id, bool approve,
                          std::string_view reason) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto f = staff_filing(store, actor, filing_id);
  if (!f) return tl::unexpected(f.error());
  // Separation of duties (aid-cycle.md): the school never files its own list.
  if (actor.org_kind != store::OrgKind::kCounty) return fail("FORBIDDEN", "名单备案由区县资助中心审核");
  if (f->state != "SUBMITTED") {
    return fail("STATE_CONFLICT", "该备案当前为“" + std::string(state_label(f->state)) + "”，不能再审核");
  }
  if (!approve) {
    if (reason.empty()) return field_error("BAD_VALUE", "退回须填写理由", "reason");
    if (reason.size() > kReasonBytesMax) return field_error("BAD_VALUE", "不超过 500 字节", "reason");
    if (auto ok = refuse_id_like_digits(reason, "reason"); !ok) return tl::unexpected(ok.error());
  }
  const auto now = app.now_ms();
  const std::optional<std::string> why = approve ? std::nullopt : std::optional<std::string>(reason);
  if (auto ok = store.decide_filing(filing_id, approve ? "APPROVED" : "RETURNED", actor.user_id, now, why); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = set_list_stage(app, store, f->cycle_id, f->school_id, f->round,
                               approve ? store::ListStage::kApproved : store::ListStage::kReview);
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record(app, store, actor,
                       {approve ? "filing.approve" : "filing.return", "filing", std::to_string(filing_id), "ok",
                        summary_json({{"school", f->school_code}, {"round", std::to_string(f->round)},
                                      {"sm3", f->snapshot_sm3}, {"reason", reason}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  auto saved = store.get_filing(filing_id);
  if (!saved) return tl::unexpected(saved.error());
  if (!*saved) return fail("INTERNAL", "备案保存后未找到");
  return view_of(**saved, false);
}

}  // namespace

Result<FilingView> submit_filing(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                 const std::optional<std::string>& school_code) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto at = school_of_cycle(store, actor, cycle_id, school_code);
  if (!at) return tl::unexpected(at.error());
  if (auto ok = require_state(at->cycle, {store::CycleState::kReview, store::CycleState::kApproved}, "提交备案"); !ok) {
    return tl::unexpected(ok.error());
  }
  const int64_t school_id = at->school.org_id;
  auto state = list_state(store, cycle_id, school_id);
  if (!state) return tl::unexpected(state.error());
  auto filings = store.filings_of(cycle_id, school_id);
  if (!filings) return tl::unexpected(filings.error());
  const bool returned_this_round = !filings->empty() && filings->back().round == state->round &&
                                   filings->back().state == "RETURNED";
  if (state->stage != store::ListStage::kAnnouncing &&
      !(state->stage == store::ListStage::kReview && returned_this_round)) {
    if (auto ok = require_list_stage(*state, {store::ListStage::kAnnouncing}, "提交备案"); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  auto announcements = store.announcements_of(cycle_id, school_id);
  if (!announcements) return tl::unexpected(announcements.error());
  const std::string today = china_today(app).iso();
  bool announced_this_round = false;
  for (const auto& a : *announcements) {
    announced_this_round = announced_this_round || a.round == state->round;
    if (today <= a.ends_on) return fail("RULE", "公示期至 " + a.ends_on + " 结束，结束后才能提交备案");
  }
  if (!announced_this_round) return fail("RULE", "本轮名单尚未公示");
  auto open = open_objections(app, store, cycle_id, school_id);
  if (!open) return tl::unexpected(open.error());
  if (*open > 0) return fail("RULE", "还有 " + std::to_string(*open) + " 件异议未处理完毕（含申诉期内的），不能提交备案");
  auto list = current_list(store, cycle_id, school_id);
  if (!list) return tl::unexpected(list.error());
  if (state->stage == store::ListStage::kReview) {
    // Back after a return: an unchanged list needs no new announcement (it
    // was announced for its full period); a changed one must be announced.
    auto pending = entries_to_announce(store, cycle_id, school_id);
    if (!pending) return tl::unexpected(pending.error());
    if (*pending > 0) return fail("RULE", "名单退回后有 " + std::to_string(*pending) + " 处变更，须先公示");
  }
  int64_t entries = 0;
  Fen total;
  auto snapshot = write_list_snapshot(store, at->cycle, at->school, state->round, *list, &entries, &total);
  if (!snapshot) return tl::unexpected(snapshot.error());
  store::Filing f;
  f.cycle_id = cycle_id;
  f.school_id = school_id;
  f.round = state->round;
  f.snapshot = std::move(*snapshot);
  f.snapshot_sm3 = crypto::to_hex(crypto::sm3(f.snapshot));
  f.entries = entries;
  f.total = total;
  f.submitted_by = actor.user_id;
  f.submitted_at_ms = app.now_ms();
  auto id = store.add_filing(f);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = set_list_stage(app, store, cycle_id, school_id, state->round, store::ListStage::kFiling); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record(app, store, actor,
                       {"filing.submit", "filing", std::to_string(*id), "ok",
                        summary_json({{"school", at->school.school_code}, {"round", std::to_string(f.round)},
                                      {"entries", std::to_string(entries)}, {"total", format_yuan(total)},
                                      {"sm3", f.snapshot_sm3}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  auto saved = store.get_filing(*id);
  if (!saved) return tl::unexpected(saved.error());
  if (!*saved) return fail("INTERNAL", "备案保存后未找到");
  return view_of(**saved, false);
}

Result<FilingView> approve_filing(App& app, store::Store& store, const Actor& actor, int64_t filing_id) {
  return decide(app, store, actor, filing_id, true, "");
}

Result<FilingView> return_filing(App& app, store::Store& store, const Actor& actor, int64_t filing_id,
                                 std::string_view reason) {
  return decide(app, store, actor, filing_id, false, reason);
}

Result<std::vector<FilingView>> list_filings(App&, store::Store& store, const Actor& actor, int64_t cycle_id,
                                             const std::optional<std::string>& school_code) {
  std::optional<int64_t> school_id;
  if (school_code || actor.org_kind == store::OrgKind::kSchool) {
    auto at = school_of_cycle(store, actor, cycle_id, school_code);
    if (!at) return tl::unexpected(at.error());
    school_id = at->school.org_id;
  } else {
    auto cycle = visible_cycle(store, actor, cycle_id);
    if (!cycle) return tl::unexpected(cycle.error());
  }
  auto found = store.filings_of(cycle_id, school_id);
  if (!found) return tl::unexpected(found.error());
  std::vector<FilingView> out;
  for (const auto& f : *found) out.push_back(view_of(f, false));
  return out;
}

Result<FilingView> get_filing(App&, store::Store& store, const Actor& actor, int64_t filing_id) {
  auto f = staff_filing(store, actor, filing_id);
  if (!f) return tl::unexpected(f.error());
  return view_of(*f, true);
}

Result<AdjustmentView> open_adjustment(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                       const std::optional<std::string>& school_code) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto at = school_of_cycle(store, actor, cycle_id, school_code);
  if (!at) return tl::unexpected(at.error());
  if (auto ok = require_state(at->cycle, {store::CycleState::kReview, store::CycleState::kApproved}, "开始学期调整"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto state = list_state(store, cycle_id, at->school.org_id);
  if (!state) return tl::unexpected(state.error());
  if (auto ok = require_list_stage(*state, {store::ListStage::kApproved}, "开始学期调整"); !ok) {
    return tl::unexpected(ok.error());
  }
  const Date today = china_today(app);
  const auto year = parse_school_year(at->cycle.school_year);
  if (!year) return fail("INTERNAL", "资助周期的学年不正确");
  const DateRange spring = term_range(*year, Term::kSpring);
  if (today < spring.first || today > spring.last) {
    return fail("RULE", "学期调整在第二学期（" + spring.first.iso() + " 起）进行");
  }
  const int round = state->round + 1;
  if (auto ok = set_list_stage(app, store, cycle_id, at->school.org_id, round, store::ListStage::kReview); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record(app, store, actor,
                       {"list.open_adjustment", "cycle", std::to_string(cycle_id), "ok",
                        summary_json({{"school", at->school.school_code}, {"round", std::to_string(round)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return AdjustmentView{at->school.school_code, round, "REVIEW"};
}

namespace {

// The schools of the cycle's county whose list is not approved though they
// have candidates (schools with none have nothing to file).
Result<std::vector<std::string>> schools_not_approved(store::Store& store, const store::Cycle& cycle) {
  auto schools = store.schools_under(cycle.county_path);
  if (!schools) return tl::unexpected(schools.error());
  std::vector<std::string> out;
  for (const auto& school : *schools) {
    auto state = list_state(store, cycle.id, school.org_id);
    if (!state) return tl::unexpected(state.error());
    if (state->stage == store::ListStage::kApproved) continue;
    auto candidates = school_candidates(store, cycle.id, school);
    if (!candidates) return tl::unexpected(candidates.error());
    if (!candidates->empty() || state->round > 1) out.push_back(school.name);
  }
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 5; ++i) out += (i ? "、" : "") + names[i];
  if (names.size() > 5) out += " 等 " + std::to_string(names.size()) + " 所";
  return out;
}

Result<CycleView> move_cycle(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                             store::CycleState from, store::CycleState to, std::string_view doing,
                             std::string_view action) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (auto ok = require_state(*cycle, {from}, doing); !ok) return tl::unexpected(ok.error());
  auto pending = schools_not_approved(store, *cycle);
  if (!pending) return tl::unexpected(pending.error());
  if (!pending->empty()) {
    return fail("RULE", "以下学校的名单尚未备案通过：" + joined(*pending) + "，不能" + std::string(doing));
  }
  if (auto ok = store.set_cycle_state(cycle_id, from, to, app.now_ms()); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {std::string(action), "cycle", std::to_string(cycle_id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return get_cycle(app, store, actor, cycle_id);
}

}  // namespace

Result<CycleView> approve_cycle(App& app, store::Store& store, const Actor& actor, int64_t cycle_id) {
  return move_cycle(app, store, actor, cycle_id, store::CycleState::kReview, store::CycleState::kApproved,
                    "确认全县名单备案完成", "cycle.approve");
}

Result<CycleView> close_cycle(App& app, store::Store& store, const Actor& actor, int64_t cycle_id) {
  return move_cycle(app, store, actor, cycle_id, store::CycleState::kApproved, store::CycleState::kClosed,
                    "结束本学年资助周期", "cycle.close");
}

Result<std::vector<SchoolListOverview>> school_overview(App& app, store::Store& store, const Actor& actor,
                                                        int64_t cycle_id) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  auto schools = store.schools_under(cycle->county_path);
  if (!schools) return tl::unexpected(schools.error());
  auto objections = list_objections(app, store, actor, cycle_id, std::nullopt);
  if (!objections) return tl::unexpected(objections.error());
  std::vector<SchoolListOverview> out;
  for (const auto& school : *schools) {
    if (!actor.in_scope(school.path)) continue;
    SchoolListOverview o;
    o.school_code = school.school_code;
    o.school_name = school.name;
    auto state = list_state(store, cycle_id, school.org_id);
    if (!state) return tl::unexpected(state.error());
    o.stage = std::string(store::list_stage_key(state->stage));
    o.stage_label = std::string(list_stage_label(state->stage));
    o.round = state->round;
    auto budget = school_budget(store, cycle_id, school.org_id);
    if (!budget) return tl::unexpected(budget.error());
    o.budget = format_yuan(*budget);
    auto list = current_list(store, cycle_id, school.org_id);
    if (!list) return tl::unexpected(list.error());
    o.committed = format_yuan(committed_total(*list));
    o.decided = static_cast<int64_t>(list->size());
    std::set<int64_t> funded;
    for (const auto& e : *list) {
      if (e.funded()) funded.insert(e.student_id);
      if (e.source != "d") ++o.changes;
    }
    o.funded = static_cast<int64_t>(funded.size());
    // Flags over every row of the run (data problems of students who did not
    // apply too), candidates as the panel must decide them.
    auto rows = school_results(store, cycle_id, school);
    if (!rows) return tl::unexpected(rows.error());
    for (const auto& c : *rows) {
      if (is_candidate(c)) ++o.candidates;
      for (const auto& flag : split_codes(c.flags)) {
        ++o.flags[flag];
        if (c.student_id && funded.count(*c.student_id)) ++o.funded_flags[flag];
      }
    }
    auto announcements = store.announcements_of(cycle_id, school.org_id);
    if (!announcements) return tl::unexpected(announcements.error());
    o.announcements = static_cast<int64_t>(announcements->size());
    for (const auto& ob : *objections) {
      if (ob.school_code != school.school_code) continue;
      ++o.objections;
      o.objections_open += ob.open ? 1 : 0;
      o.objections_overdue += ob.overdue ? 1 : 0;
    }
    auto filings = store.filings_of(cycle_id, school.org_id);
    if (!filings) return tl::unexpected(filings.error());
    if (!filings->empty()) {
      o.latest_filing_id = filings->back().id;
      o.latest_filing_state = filings->back().state;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace zizhu::app
