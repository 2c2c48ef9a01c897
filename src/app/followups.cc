#include "app/followups.h"

#include <algorithm>
#include <array>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "app/school_list.h"
#include "core/school_year.h"

namespace zizhu::app {

namespace {

constexpr std::array<std::string_view, store::kFollowupKindCount> kKindLabels = {
    "家访", "谈心谈话", "学习生活情况", "心理支持转介", "生涯指导"};

std::string_view term_label(int term) { return term_name(term == 2 ? Term::kSpring : Term::kAutumn); }

bool in_path(std::string_view path, std::string_view prefix) { return path.substr(0, prefix.size()) == prefix; }

// "Funded" for the follow-up: the students whose entry on the school's list
// (school_list.h: the review decision with its later changes — upheld
// objections, revisions, term adjustments) gives a level in the term.
struct FundedStudent {
  int64_t student_id = 0;
  std::optional<int> level;
};
Result<std::vector<FundedStudent>> funded_students_of_school(store::Store& store, int64_t cycle_id, int64_t school_id,
                                                             int term) {
  auto list = current_list(store, cycle_id, school_id);
  if (!list) return tl::unexpected(list.error());
  std::vector<FundedStudent> out;
  for (const auto& e : *list) {
    const TermEntry& t = term == 2 ? e.term2 : e.term1;
    if (t.level) out.push_back({e.student_id, t.level});
  }
  return out;  // by student id, as current_list gives them
}

// The student and its school, if the student is at a school in the actor's
// scope and in the cycle's county; NOT_FOUND naming student_id otherwise.
struct StudentAt {
  store::StudentListing student;
  store::OrgNode school;
};

Result<StudentAt> student_in_cycle(store::Store& store, const Actor& actor, const store::Cycle& cycle,
                                   int64_t student_id) {
  auto s = store.get_student_listing(student_id);
  if (!s) return tl::unexpected(s.error());
  if (!*s) return field_error("NOT_FOUND", "学生不存在", "student_id");
  auto node = store.get_org_node((*s)->school_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node || !actor.in_scope((*node)->path) || !in_path((*node)->path, cycle.county_path)) {
    return field_error("NOT_FOUND", "学生不存在", "student_id");
  }
  return StudentAt{std::move(**s), std::move(**node)};
}

// A school of the cycle's county in the actor's scope, by its code.
Result<store::School> school_in_cycle(store::Store& store, const Actor& actor, const store::Cycle& cycle,
                                      std::string_view code) {
  auto school = store.find_school(code);
  if (!school) return tl::unexpected(school.error());
  if (!*school || (*school)->county_id != cycle.county_id || !actor.in_scope((*school)->path)) {
    return field_error("NOT_FOUND", "学校不存在", "school_code");
  }
  return std::move(**school);
}

Result<int> checked_term(std::optional<int64_t> term, const store::Cycle& cycle, Date today) {
  if (!term) return current_term(cycle, today);
  if (*term != 1 && *term != 2) return field_error("BAD_VALUE", "学期须为 1（秋季学期）或 2（春季学期）", "term");
  return static_cast<int>(*term);
}

FollowupView view_of(const store::FollowupRecord& r) {
  FollowupView v;
  v.id = r.id;
  v.cycle_id = r.cycle_id;
  v.student_id = r.student_id;
  v.student_name = r.student_name;
  v.school_code = r.school_code;
  v.school_name = r.school_name;
  v.term = r.term;
  v.term_label = std::string(term_label(r.term));
  v.kind = std::string(store::followup_kind_key(r.kind));
  v.kind_label = std::string(followup_kind_label(r.kind));
  v.happened_on = r.happened_on.iso();
  v.note = r.note;
  v.recorded_by = r.recorded_by;
  v.recorded_by_name = r.recorded_by_name;
  v.recorded_at_ms = r.recorded_at_ms;
  return v;
}

}  // namespace

std::string_view followup_kind_label(store::FollowupKind kind) { return kKindLabels[static_cast<size_t>(kind)]; }

int current_term(const store::Cycle& cycle, Date today) {
  const auto year = parse_school_year(cycle.school_year);
  if (!year) return 1;
  const DateRange range = school_year_range(*year);
  if (today < range.first) return 1;
  if (today > range.last) return 2;
  return static_cast<int>(term_of(today));
}

Result<FollowupView> add_followup(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                  const FollowupInput& input) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (auto ok = require_state(*cycle,
                              {store::CycleState::kReview, store::CycleState::kAnnouncing, store::CycleState::kFiling,
                               store::CycleState::kApproved},
                              "记录跟踪管理");
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto at = student_in_cycle(store, actor, *cycle, input.student_id);
  if (!at) return tl::unexpected(at.error());

  const Date today = china_today(app);
  auto term = checked_term(input.term, *cycle, today);
  if (!term) return tl::unexpected(term.error());
  const auto kind = store::parse_followup_kind(input.kind);
  if (!kind) {
    return field_error("BAD_VALUE",
                       "跟踪方式须为 home_visit（家访）、talk（谈心谈话）、study_living（学习生活情况）、"
                       "psych_referral（心理支持转介）或 career_guidance（生涯指导）",
                       "kind");
  }
  const auto on = parse_date(input.happened_on);
  if (!on) return field_error("BAD_VALUE", "日期须写作 YYYY-MM-DD", "happened_on");
  if (*on > today) return field_error("BAD_VALUE", "日期不能晚于今天", "happened_on");
  if (const auto year = parse_school_year(cycle->school_year)) {
    const DateRange range = school_year_range(*year);
    if (!range.contains(*on)) {
      return field_error("BAD_VALUE", "日期须在本学年内（" + range.first.iso() + " 至 " + range.last.iso() + "）",
                         "happened_on");
    }
  }
  if (input.note.empty()) return field_error("BAD_VALUE", "请填写跟踪记录内容", "note");
  if (input.note.size() > kFollowupNoteBytesMax) return field_error("BAD_VALUE", "内容不超过 2000 字节", "note");
  if (auto ok = refuse_id_like_digits(input.note, "note"); !ok) return tl::unexpected(ok.error());

  auto funded = funded_students_of_school(store, cycle_id, at->school.id, *term);
  if (!funded) return tl::unexpected(funded.error());
  const bool is_funded = std::any_of(funded->begin(), funded->end(),
                                     [&](const FundedStudent& d) { return d.student_id == input.student_id; });
  if (!is_funded) return field_error("RULE", "该学生不是本周期的受助学生", "student_id");

  store::FollowupRecord r;
  r.cycle_id = cycle_id;
  r.student_id = input.student_id;
  r.school_id = at->school.id;
  r.term = *term;
  r.kind = *kind;
  r.happened_on = *on;
  r.note = input.note;
  r.recorded_by = actor.user_id;
  r.recorded_at_ms = app.now_ms();
  auto id = store.add_followup(r);
  if (!id) return tl::unexpected(id.error());
  r.id = *id;
  // The note stays out of the log: it describes a family.
  if (auto ok = record(app, store, actor,
                       {"followup.add", "student", std::to_string(input.student_id), "ok",
                        summary_json({{"cycle_id", std::to_string(cycle_id)},
                                      {"record_id", std::to_string(*id)},
                                      {"term", std::to_string(*term)},
                                      {"kind", input.kind},
                                      {"happened_on", on->iso()}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  r.student_name = at->student.name;
  r.school_code = at->school.code;
  r.school_name = at->school.name;
  r.recorded_by_name = actor.display_name;
  return view_of(r);
}

Result<Page<FollowupView>> list_followups(App&, store::Store& store, const Actor& actor, int64_t cycle_id,
                                          const FollowupQuery& query, const PageRequest& page) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  store::FollowupFilter filter;
  if (query.school_code) {
    auto school = school_in_cycle(store, actor, *cycle, *query.school_code);
    if (!school) return tl::unexpected(school.error());
    filter.school_id = school->org_id;
  }
  if (query.student_id) {
    auto at = student_in_cycle(store, actor, *cycle, *query.student_id);
    if (!at) return tl::unexpected(at.error());
    filter.student_id = *query.student_id;
  }
  if (query.term) {
    if (*query.term != 1 && *query.term != 2) {
      return field_error("BAD_VALUE", "学期须为 1（秋季学期）或 2（春季学期）", "term");
    }
    filter.term = static_cast<int>(*query.term);
  }
  auto found = store.followups_page(cycle_id, actor.org_path, filter, page.offset(), page.page_size);
  if (!found) return tl::unexpected(found.error());
  Page<FollowupView> out;
  out.total = found->total;
  for (const auto& r : found->items) out.items.push_back(view_of(r));
  return out;
}

Result<MissingFollowups> missing_followups(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                           const std::optional<std::string>& school_code,
                                           std::optional<int64_t> term) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  auto t = checked_term(term, *cycle, china_today(app));
  if (!t) return tl::unexpected(t.error());
  std::vector<store::School> schools;
  if (school_code) {
    auto school = school_in_cycle(store, actor, *cycle, *school_code);
    if (!school) return tl::unexpected(school.error());
    schools.push_back(std::move(*school));
  } else {
    // The actor's own subtree within the cycle's county: a school's users
    // see their school, the county's every school.
    const std::string& path =
        actor.org_path.size() > cycle->county_path.size() ? actor.org_path : cycle->county_path;
    auto under = store.schools_under(path);
    if (!under) return tl::unexpected(under.error());
    for (auto& s : *under) {
      if (s.county_id == cycle->county_id && actor.in_scope(s.path)) schools.push_back(std::move(s));
    }
  }
  MissingFollowups out;
  out.school_year = cycle->school_year;
  out.term = *t;
  out.term_label = std::string(term_label(*t));
  for (const auto& school : schools) {
    auto funded = funded_students_of_school(store, cycle_id, school.org_id, *t);
    if (!funded) return tl::unexpected(funded.error());
    if (funded->empty()) continue;
    auto done = store.followed_up_students(cycle_id, school.org_id, *t);
    if (!done) return tl::unexpected(done.error());
    out.funded += static_cast<int64_t>(funded->size());
    for (const auto& d : *funded) {
      if (std::binary_search(done->begin(), done->end(), d.student_id)) continue;
      auto s = store.get_student_listing(d.student_id);
      if (!s) return tl::unexpected(s.error());
      if (!*s) continue;
      MissingFollowup m;
      m.student_id = d.student_id;
      m.student_name = (*s)->name;
      m.student_no = (*s)->student_no_masked;
      m.school_code = school.school_code;
      m.school_name = school.name;
      m.grade = (*s)->grade;
      m.class_name = (*s)->class_name;
      m.level = d.level;
      out.items.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace zizhu::app
