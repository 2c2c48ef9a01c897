#include "app/guardian_outcome.h"

#include <boost/json/parse.hpp>
#include <set>

#include "app/cycles.h"
#include "core/fen.h"

namespace zizhu::app {

namespace {

std::string level_name(const Policy& policy, const std::optional<int>& level) {
  if (!level) return "不予资助";
  const int i = policy.level_index(*level);
  return i < 0 ? std::to_string(*level) + " 档" : policy.levels[static_cast<size_t>(i)].name;
}

std::string cause_label(const std::string& cause) {
  if (cause == "objection") return "异议成立";
  if (cause == "appeal") return "申诉成立";
  if (cause == "revision") return "备案退回后修改";
  if (cause == "adjustment") return "学期调整";
  return cause;
}

// The (student, source) pairs the school's announcements showed, for this
// student only: what of the entry's history has been made public.
Result<std::set<std::string>> announced_sources(const std::vector<store::Announcement>& all, int64_t student_id) {
  std::set<std::string> out;
  for (const auto& a : all) {
    boost::system::error_code ec;
    const auto rows = boost::json::parse(a.entries, ec);
    if (ec || !rows.is_array()) return fail("DB_CORRUPT", "公示内容不正确 (announcement " + std::to_string(a.id) + ")");
    for (const auto& v : rows.get_array()) {
      const auto& o = v.as_object();
      if (o.at("student_id").as_int64() == student_id) out.insert(std::string(o.at("source").as_string()));
    }
  }
  return out;
}

}  // namespace

Result<std::optional<GuardianOutcome>> guardian_outcome(App& app, store::Store& store,
                                                        const store::Application& application) {
  if (application.state != store::ApplicationState::kSubmitted) return std::optional<GuardianOutcome>();
  GuardianOutcome out;
  out.stage = "reviewing";
  out.stage_label = "学校评审中";
  auto announcements = store.announcements_of(application.cycle_id, application.school_id);
  if (!announcements) return tl::unexpected(announcements.error());
  if (announcements->empty()) return std::optional<GuardianOutcome>(std::move(out));

  // Oldest first: the first is the school's list, the newest bounds what
  // changes have been made public.
  const store::Announcement& first = announcements->front();
  const store::Announcement& newest = announcements->back();
  out.stage = "announced";
  out.stage_label = "已公示";
  out.announced_on = first.starts_on;
  const std::string today = china_today(app).iso();
  for (const auto& a : *announcements) {
    if (a.starts_on <= today && today <= a.ends_on) {
      out.running_announcement_id = a.id;
      out.running_until = a.ends_on;
    }
  }

  auto cycle = store.get_cycle(application.cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (!*cycle) return fail("INTERNAL", "申请的资助周期不存在");
  auto policy = cycle_policy(store, **cycle);
  if (!policy) return tl::unexpected(policy.error());

  auto decision = store.decision(application.cycle_id, application.student_id);
  if (!decision) return tl::unexpected(decision.error());
  if (*decision) {
    const auto& d = **decision;
    out.funded = d.level.has_value();
    out.level = d.level;
    out.level_label = level_name(*policy, d.level);
    out.amount = format_yuan(d.amount);
    out.reason = d.reason;
    out.decided_on = china_date(d.decided_at_ms).iso();
  }

  auto shown = announced_sources(*announcements, application.student_id);
  if (!shown) return tl::unexpected(shown.error());
  auto changes = store.list_changes(application.cycle_id, application.school_id);
  if (!changes) return tl::unexpected(changes.error());
  for (const auto& c : *changes) {
    if (c.student_id != application.student_id) continue;
    const bool announced = shown->count("c" + std::to_string(c.id)) > 0;
    if (!announced && c.made_at_ms > newest.published_at_ms) continue;
    OutcomeChange v;
    v.cause = c.cause;
    v.cause_label = cause_label(c.cause);
    v.level = c.level;
    v.level_label = level_name(*policy, c.level);
    v.amount = format_yuan(c.amount);
    v.from_term = c.from_term;
    v.reason = c.reason;
    v.made_on = china_date(c.made_at_ms).iso();
    out.changes.push_back(std::move(v));
  }
  if (!out.changes.empty()) {
    const auto& last = out.changes.back();
    out.funded = last.level.has_value();
    out.level = last.level;
    out.level_label = last.level_label;
    out.amount = last.amount;
  }

  auto filings = store.filings_of(application.cycle_id, application.school_id);
  if (!filings) return tl::unexpected(filings.error());
  for (const auto& f : *filings) {
    if (f.state == "APPROVED" && f.decided_at_ms) {
      out.stage = "filed";
      out.stage_label = "已备案";
      out.filed_on = china_date(*f.decided_at_ms).iso();
    }
  }
  return std::optional<GuardianOutcome>(std::move(out));
}

}  // namespace zizhu::app
