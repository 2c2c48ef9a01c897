#include "app/dashboard.h"

#include <map>
#include <set>

#include "app/cycles.h"
#include "app/feedback.h"
#include "app/filings.h"
#include "app/followups.h"
#include "app/roles.h"
#include "app/school_list.h"
#include "core/code_list.h"

namespace zizhu::app {

namespace {

// What the actor may read: an API token by its scopes, a person by roles.
bool actor_may(const Actor& actor, Permission permission) {
  if (actor.api_token_id) {
    const std::string key(permission_key(permission));
    size_t i = 0;
    const std::string& s = actor.api_scopes;
    while (i < s.size()) {
      const size_t j = std::min(s.find(' ', i), s.size());
      if (s.compare(i, j - i, key) == 0) return true;
      i = j + 1;
    }
    return false;
  }
  return roles_grant(actor.roles, permission);
}

Fen plus(Fen a, Fen b) { return a.checked_add(b).value_or(a); }

// The level a funded entry counts under for the year: its first term's, or
// the second's when aid starts in spring.
std::optional<int> year_level(const ListEntry& e) { return e.term1.level ? e.term1.level : e.term2.level; }

}  // namespace

Result<Dashboard> cycle_dashboard(App& app, store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  Dashboard out;
  out.cycle_id = cycle->id;
  out.cycle_name = cycle->name;
  out.school_year = cycle->school_year;
  out.state = std::string(store::cycle_state_key(cycle->state));
  out.state_label = std::string(cycle_state_label(cycle->state));

  // The county's view of each school (stage, decisions, objections), in scope.
  auto overview = school_overview(app, store, actor, cycle_id);
  if (!overview) return tl::unexpected(overview.error());
  auto schools = store.schools_under(cycle->county_path);
  if (!schools) return tl::unexpected(schools.error());
  std::map<std::string, const store::School*> by_code;
  std::map<int64_t, const store::School*> by_id;
  for (const auto& s : *schools) {
    if (!actor.in_scope(s.path)) continue;
    by_code[s.school_code] = &s;
    by_id[s.org_id] = &s;
  }

  std::map<int64_t, int64_t> applications;  // school id -> submitted
  auto submitted = store.submitted_applications(cycle_id, actor.org_path);
  if (!submitted) return tl::unexpected(submitted.error());
  for (const auto& a : *submitted) ++applications[a.school_id];

  std::map<int, DashboardLevel> levels;
  std::map<std::string, DashboardCategory> categories;
  // school id -> the list now (for the payments' "due")
  std::map<int64_t, std::vector<ListEntry>> lists;
  for (const auto& o : *overview) {
    auto found = by_code.find(o.school_code);
    if (found == by_code.end()) continue;
    const store::School& school = *found->second;
    DashboardSchool d;
    d.school_code = o.school_code;
    d.school_name = o.school_name;
    d.stage_label = o.stage_label;
    d.applications = applications[school.org_id];
    d.candidates = o.candidates;
    d.decided = o.decided;
    d.funded = o.funded;
    d.objections_open = o.objections_open;
    d.objections_overdue = o.objections_overdue;

    auto list = current_list(store, cycle_id, school.org_id);
    if (!list) return tl::unexpected(list.error());
    d.committed = committed_total(*list);
    int64_t run_id = 0;
    auto rows = school_results(store, cycle_id, school, &run_id);
    if (!rows) return tl::unexpected(rows.error());
    d.identified = run_id != 0;
    // student id -> the categories the newest run identified
    std::map<int64_t, std::vector<std::string>> identified;
    for (const auto& r : *rows) {
      if (!r.student_id || r.categories.empty()) continue;
      identified[*r.student_id] = split_codes(r.categories);
    }
    std::set<int64_t> funded;
    for (const auto& e : *list) {
      if (!e.funded()) continue;
      funded.insert(e.student_id);
      auto& level = levels[*year_level(e)];
      level.level = *year_level(e);
      ++level.students;
      if (e.term1.level) level.annual = plus(level.annual, term_amount(e.term1.amount, 1));
      if (e.term2.level) level.annual = plus(level.annual, term_amount(e.term2.amount, 2));
      auto it = identified.find(e.student_id);
      if (it == identified.end() || it->second.empty()) {
        ++categories[""].funded;
      } else {
        for (const auto& c : it->second) ++categories[c].funded;
      }
    }
    for (const auto& [student, codes] : identified) {
      ++d.priority;
      if (funded.count(student)) ++d.priority_funded;
      for (const auto& c : codes) ++categories[c].priority;
    }
    lists[school.org_id] = std::move(*list);
    out.schools.push_back(std::move(d));
  }
  for (auto& [level, l] : levels) out.levels.push_back(l);
  for (auto& [code, c] : categories) {
    c.category = code;
    out.categories.push_back(c);
  }

  if (actor_may(actor, Permission::kApplicationRead)) {
    auto missing = missing_followups(app, store, actor, cycle_id, std::nullopt, std::nullopt);
    if (!missing) return tl::unexpected(missing.error());
    DashboardFollowups f;
    f.term = missing->term;
    f.term_label = missing->term_label;
    f.funded = missing->funded;
    f.missing = static_cast<int64_t>(missing->items.size());
    std::map<std::string, int64_t> per_school;
    for (const auto& m : missing->items) ++per_school[m.school_code];
    for (auto& d : out.schools) d.followups_missing = per_school[d.school_code];
    out.followups = f;
  }

  if (actor_may(actor, Permission::kFeedbackManage)) {
    FeedbackQuery q;
    q.overdue = true;
    PageRequest page;
    page.page_size = 1;
    auto overdue = list_feedback(app, store, actor, q, page);
    if (!overdue) return tl::unexpected(overdue.error());
    out.feedback_overdue = overdue->total;
  }

  if (actor_may(actor, Permission::kFundsRead)) {
    std::vector<DashboardPayment> payments;
    for (int term = 1; term <= 2; ++term) {
      std::map<int64_t, DashboardPayment> rows;  // school id ->
      for (const auto& [school_id, list] : lists) {
        auto& p = rows[school_id];
        for (const auto& e : list) {
          const TermEntry& t = term == 1 ? e.term1 : e.term2;
          if (!t.level) continue;
          ++p.due_students;
          p.due = plus(p.due, term_amount(t.amount, term));
        }
      }
      auto lines = store.payment_lines_of_term(cycle_id, term);
      if (!lines) return tl::unexpected(lines.error());
      std::map<int64_t, std::set<int64_t>> paid_students;
      for (const auto& l : *lines) {
        if (!by_id.count(l.school_id) || l.status == "cancelled") continue;
        auto& p = rows[l.school_id];
        if (l.status == "paid") {
          paid_students[l.school_id].insert(l.student_id);
          p.paid = plus(p.paid, Fen::from_fen(l.amount_fen));
        } else if (l.status == "prepared") {
          ++p.prepared;
        } else if (l.status == "pending") {
          ++p.pending;
        } else if (l.status == "failed") {
          ++p.failed;
        } else if (l.status == "returned") {
          ++p.returned;
        }
      }
      for (auto& [school_id, p] : rows) {
        const store::School& school = *by_id.at(school_id);
        p.term = term;
        p.school_code = school.school_code;
        p.school_name = school.name;
        p.paid_students = static_cast<int64_t>(paid_students[school_id].size());
        payments.push_back(std::move(p));
      }
    }
    out.payments = std::move(payments);
  }
  return out;
}

}  // namespace zizhu::app
