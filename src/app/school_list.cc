#include "app/school_list.h"

#include <algorithm>
#include <map>

#include "app/cycles.h"
#include "app/errors.h"

namespace zizhu::app {

std::string_view list_stage_label(store::ListStage stage) {
  switch (stage) {
    case store::ListStage::kReview: return "学校评审";
    case store::ListStage::kAnnouncing: return "公示中";
    case store::ListStage::kFiling: return "备案审核中";
    case store::ListStage::kApproved: return "已备案";
  }
  return "";
}

Result<SchoolOfCycle> school_of_cycle(store::Store& store, const Actor& actor, int64_t cycle_id,
                                      const std::optional<std::string>& school_code) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  std::string code;
  if (school_code) {
    code = *school_code;
  } else if (actor.org_kind == store::OrgKind::kSchool) {
    code = actor.org_code;
  } else {
    return field_error("BAD_VALUE", "请指定学校", "school_code");
  }
  auto school = store.find_school(code);
  if (!school) return tl::unexpected(school.error());
  if (!*school || (*school)->county_id != cycle->county_id || !actor.in_scope((*school)->path)) {
    return field_error("NOT_FOUND", "学校不存在", "school_code");
  }
  return SchoolOfCycle{std::move(*cycle), std::move(**school)};
}

Result<store::SchoolListState> list_state(store::Store& store, int64_t cycle_id, int64_t school_id) {
  auto found = store.school_list_state(cycle_id, school_id);
  if (!found) return tl::unexpected(found.error());
  if (*found) return **found;
  store::SchoolListState s;
  s.cycle_id = cycle_id;
  s.school_id = school_id;
  return s;
}

Result<void> require_list_stage(const store::SchoolListState& state, std::initializer_list<store::ListStage> allowed,
                                std::string_view doing) {
  if (std::find(allowed.begin(), allowed.end(), state.stage) != allowed.end()) return {};
  return fail("STATE_CONFLICT", "本校名单当前为“" + std::string(list_stage_label(state.stage)) + "”阶段，不能" +
                                    std::string(doing));
}

Result<void> set_list_stage(App& app, store::Store& store, int64_t cycle_id, int64_t school_id, int round,
                            store::ListStage stage) {
  store::SchoolListState s;
  s.cycle_id = cycle_id;
  s.school_id = school_id;
  s.round = round;
  s.stage = stage;
  s.updated_at_ms = app.now_ms();
  return store.put_school_list_state(s);
}

Result<std::vector<ListEntry>> current_list(store::Store& store, int64_t cycle_id, int64_t school_id) {
  auto decisions = store.school_decisions(cycle_id, school_id);
  if (!decisions) return tl::unexpected(decisions.error());
  std::map<int64_t, ListEntry> by_student;
  for (const auto& d : *decisions) {
    ListEntry e;
    e.student_id = d.student_id;
    e.term1 = {d.level, d.amount};
    e.term2 = e.term1;
    e.source = "d";
    by_student[d.student_id] = std::move(e);
  }
  auto changes = store.list_changes(cycle_id, school_id);
  if (!changes) return tl::unexpected(changes.error());
  // In the order made: a change from term 1 replaces the whole entry; one
  // from term 2 (an adjustment) leaves term 1 as it was.
  for (const auto& c : *changes) {
    ListEntry& e = by_student[c.student_id];
    e.student_id = c.student_id;
    const TermEntry now{c.level, c.amount};
    if (c.from_term <= 1) e.term1 = now;
    e.term2 = now;
    e.source = "c" + std::to_string(c.id);
  }
  std::vector<ListEntry> out;
  out.reserve(by_student.size());
  for (auto& [id, e] : by_student) out.push_back(std::move(e));
  return out;
}

Fen term_amount(Fen annual, int term) {
  const int64_t first = annual.value() / 2;
  return Fen::from_fen(term == 1 ? first : annual.value() - first);
}

Fen committed_total(const std::vector<ListEntry>& list) {
  int64_t total = 0;
  for (const auto& e : list) {
    if (e.term1.level) total += term_amount(e.term1.amount, 1).value();
    if (e.term2.level) total += term_amount(e.term2.amount, 2).value();
  }
  return Fen::from_fen(total);
}

bool is_candidate(const store::IdentificationResult& row) {
  return row.status != "NOT_APPLIED" || !row.categories.empty();
}

Result<std::vector<store::IdentificationResult>> school_candidates(store::Store& store, int64_t cycle_id,
                                                                   const store::School& school) {
  auto rows = school_results(store, cycle_id, school);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<store::IdentificationResult> out;
  for (auto& r : *rows) {
    if (is_candidate(r)) out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<store::IdentificationResult>> school_results(store::Store& store, int64_t cycle_id,
                                                                const store::School& school, int64_t* run_id) {
  auto runs = store.identification_runs(cycle_id);
  if (!runs) return tl::unexpected(runs.error());
  int64_t newest = 0;
  for (const auto& r : *runs) {
    if (!r.run.school_id || *r.run.school_id == school.org_id) newest = std::max(newest, r.id);
  }
  std::vector<store::IdentificationResult> out;
  if (run_id != nullptr) *run_id = newest;
  if (newest == 0) return out;
  for (int64_t offset = 0;; offset += store::kPageRowsMax) {
    auto page = store.identification_results(newest, school.path, false, {}, offset, store::kPageRowsMax);
    if (!page) return tl::unexpected(page.error());
    for (auto& r : page->items) out.push_back(std::move(r));
    if (static_cast<int64_t>(page->items.size()) < store::kPageRowsMax) break;
  }
  return out;
}

Result<Fen> school_budget(store::Store& store, int64_t cycle_id, int64_t school_id) {
  auto budgets = store.budgets(cycle_id);
  if (!budgets) return tl::unexpected(budgets.error());
  for (const auto& b : *budgets) {
    if (b.school_id == school_id) return b.budget;
  }
  return Fen();
}

}  // namespace zizhu::app
