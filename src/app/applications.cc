#include "app/applications.h"

#include <algorithm>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "core/student_no.h"
#include "io/encoding.h"

namespace zizhu::app {

namespace {

constexpr int64_t kIncomeFenMax = 100'000'000'000;  // 10 亿元: beyond any household

// The student and its school node, if the actor may act for it: a guardian
// for their own child, staff for a student of a school in scope.
struct StudentAt {
  store::StudentListing student;
  store::OrgNode school;
};

Result<StudentAt> student_for(store::Store& store, const Actor& actor, int64_t student_id) {
  auto s = store.get_student_listing(student_id);
  if (!s) return tl::unexpected(s.error());
  if (!*s) return fail("NOT_FOUND", "学生不存在");
  auto node = store.get_org_node((*s)->school_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node) return fail("NOT_FOUND", "学生不存在");
  const bool allowed = actor.guardian_id ? (*s)->guardian_id == actor.guardian_id : actor.in_scope((*node)->path);
  if (!allowed) return fail("NOT_FOUND", "学生不存在");
  return StudentAt{std::move(**s), std::move(**node)};
}

// The cycle as the student's family and school meet it: of the student's
// county, past DRAFT.
Result<store::Cycle> cycle_of_student(store::Store& store, int64_t cycle_id, const StudentAt& at) {
  auto c = store.get_cycle(cycle_id);
  if (!c) return tl::unexpected(c.error());
  if (!*c || (*c)->state == store::CycleState::kDraft ||
      std::string_view(at.school.path).substr(0, (*c)->county_path.size()) != (*c)->county_path) {
    return fail("NOT_FOUND", "资助周期不存在");
  }
  return std::move(**c);
}

// OPEN, and today within the application dates.
Result<void> accepting(const App& app, const store::Cycle& c, std::string_view doing) {
  if (auto ok = require_state(c, {store::CycleState::kOpen}, doing); !ok) return ok;
  const Date today = china_today(app);
  if (c.applications_open_on && today < *c.applications_open_on) {
    return fail("RULE", "申请尚未开始（" + c.applications_open_on->iso() + " 起）");
  }
  if (c.applications_close_on && today > *c.applications_close_on) {
    return fail("RULE", "申请已于 " + c.applications_close_on->iso() + " 截止");
  }
  return {};
}

Result<store::FamilyData> checked_family(const FamilyInput& in, const Policy& policy) {
  store::FamilyData f;
  if (in.household_size < 1 || in.household_size > 30) {
    return field_error("BAD_VALUE", "家庭人口须为 1 到 30 之间的整数", "household_size");
  }
  f.household_size = static_cast<int>(in.household_size);
  if (in.household_income_fen < 0 || in.household_income_fen > kIncomeFenMax) {
    return field_error("BAD_VALUE", "家庭年收入须在 0 到 10 亿元之间", "household_income");
  }
  f.household_income = Fen::from_fen(in.household_income_fen);
  if (in.claimed_categories.size() > policy.categories.size()) {
    return field_error("BAD_VALUE", "申报类别过多", "claimed_categories");
  }
  for (const auto& c : in.claimed_categories) {
    const int i = policy.category_index(c);
    if (i < 0) return field_error("BAD_VALUE", "资助政策中没有此类别：" + c, "claimed_categories");
    const std::string& code = policy.categories[static_cast<size_t>(i)].code;
    bool seen = false;
    for (const auto& existing : f.claimed_categories) seen = seen || existing == code;
    if (!seen) f.claimed_categories.push_back(code);
  }
  f.serious_illness = in.serious_illness;
  f.sudden_hardship = in.sudden_hardship;
  f.single_parent = in.single_parent;
  if (in.siblings_in_school) {
    if (*in.siblings_in_school < 1 || *in.siblings_in_school > 30) {
      return field_error("BAD_VALUE", "在校子女数须为 1 到 30 之间的整数（含本人）", "siblings_in_school");
    }
    f.siblings_in_school = static_cast<int>(*in.siblings_in_school);
  }
  return f;
}

Result<ApplicationView> view_of(store::Store& store, const store::Application& a) {
  auto s = store.get_student_listing(a.student_id);
  if (!s) return tl::unexpected(s.error());
  if (!*s) return fail("INTERNAL", "申请的学生不存在");
  auto school = store.get_org_node(a.school_id);
  if (!school) return tl::unexpected(school.error());
  auto cycle = store.get_cycle(a.cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  ApplicationView v;
  v.id = a.id;
  v.cycle_id = a.cycle_id;
  if (*cycle) v.school_year = (*cycle)->school_year;
  v.student_id = a.student_id;
  v.student_name = (*s)->name;
  v.student_no = (*s)->student_no_masked;
  if (*school) {
    v.school_code = (*school)->code;
    v.school_name = (*school)->name;
  }
  v.grade = (*s)->grade;
  v.class_name = (*s)->class_name;
  v.state = std::string(store::application_state_key(a.state));
  v.state_label = a.state == store::ApplicationState::kSubmitted ? "已提交" : "已撤回";
  v.channel = a.channel;
  v.household_size = a.family.household_size;
  v.household_income_fen = a.family.household_income.value();
  v.claimed_categories = a.family.claimed_categories;
  v.serious_illness = a.family.serious_illness;
  v.sudden_hardship = a.family.sudden_hardship;
  v.single_parent = a.family.single_parent;
  if (a.family.siblings_in_school) v.siblings_in_school = *a.family.siblings_in_school;
  v.created_at_ms = a.created_at_ms;
  v.updated_at_ms = a.updated_at_ms;
  return v;
}

// The application if the actor may see it (NOT_FOUND otherwise), with its
// student and cycle.
struct Visible {
  store::Application application;
  StudentAt at;
  store::Cycle cycle;
};

Result<Visible> visible_application(store::Store& store, const Actor& actor, int64_t application_id) {
  auto a = store.get_application(application_id);
  if (!a) return tl::unexpected(a.error());
  if (!*a) return fail("NOT_FOUND", "申请不存在");
  auto at = student_for(store, actor, (*a)->student_id);
  if (!at) return fail("NOT_FOUND", "申请不存在");
  auto c = cycle_of_student(store, (*a)->cycle_id, *at);
  if (!c) return fail("NOT_FOUND", "申请不存在");
  return Visible{std::move(**a), std::move(*at), std::move(*c)};
}

Result<void> record_application(App& app, store::Store& store, const Actor& actor, std::string action,
                                const store::Application& a, std::string_view extra_key = {},
                                std::string_view extra_value = {}) {
  const std::string cycle = std::to_string(a.cycle_id);
  const std::string student = std::to_string(a.student_id);
  std::string summary = extra_key.empty() ? summary_json({{"cycle_id", cycle}, {"student_id", student}})
                                          : summary_json({{"cycle_id", cycle}, {"student_id", student},
                                                          {extra_key, extra_value}});
  return record(app, store, actor, {std::move(action), "application", std::to_string(a.id), "ok", std::move(summary)});
}

Result<ApplicationView> reload(store::Store& store, int64_t id) {
  auto a = store.get_application(id);
  if (!a) return tl::unexpected(a.error());
  if (!*a) return fail("NOT_FOUND", "申请不存在");
  return view_of(store, **a);
}

}  // namespace

Result<ApplicationView> submit_application(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                           int64_t student_id, const FamilyInput& family) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto at = student_for(store, actor, student_id);
  if (!at) return field_error(at.error().code, at.error().message, "student_id");
  auto cycle = cycle_of_student(store, cycle_id, *at);
  if (!cycle) return tl::unexpected(cycle.error());
  if (auto ok = accepting(app, *cycle, "提交申请"); !ok) return tl::unexpected(ok.error());
  auto policy = cycle_policy(store, *cycle);
  if (!policy) return tl::unexpected(policy.error());
  auto f = checked_family(family, *policy);
  if (!f) return tl::unexpected(f.error());
  const std::string channel = actor.guardian_id ? "guardian" : "school";

  auto existing = store.find_application(cycle_id, student_id);
  if (!existing) return tl::unexpected(existing.error());
  int64_t id = 0;
  if (*existing) {
    if ((*existing)->state == store::ApplicationState::kSubmitted) {
      return field_error("CONFLICT", "该学生本周期已有申请，可修改或撤回后重新提交", "student_id");
    }
    id = (*existing)->id;
    if (auto ok = store.update_application(id, *f, store::ApplicationState::kSubmitted, actor.user_id, app.now_ms());
        !ok) {
      return tl::unexpected(ok.error());
    }
  } else {
    store::ApplicationInput in;
    in.cycle_id = cycle_id;
    in.student_id = student_id;
    in.school_id = at->student.school_id;
    in.channel = channel;
    in.family = *f;
    in.submitted_by = actor.user_id;
    in.now_ms = app.now_ms();
    auto created = store.create_application(in);
    if (!created) return tl::unexpected(created.error());
    id = *created;
  }
  auto saved = store.get_application(id);
  if (!saved) return tl::unexpected(saved.error());
  if (!*saved) return fail("INTERNAL", "申请保存后未找到");
  if (auto ok = record_application(app, store, actor, "application.submit", **saved, "channel", channel); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(store, **saved);
}

Result<ApplicationView> edit_application(App& app, store::Store& store, const Actor& actor, int64_t application_id,
                                         const FamilyInput& family) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto v = visible_application(store, actor, application_id);
  if (!v) return tl::unexpected(v.error());
  if (auto ok = accepting(app, v->cycle, "修改申请"); !ok) return tl::unexpected(ok.error());
  if (v->application.state != store::ApplicationState::kSubmitted) {
    return fail("STATE_CONFLICT", "申请已撤回，请重新提交");
  }
  auto policy = cycle_policy(store, v->cycle);
  if (!policy) return tl::unexpected(policy.error());
  auto f = checked_family(family, *policy);
  if (!f) return tl::unexpected(f.error());
  if (auto ok = store.update_application(application_id, *f, store::ApplicationState::kSubmitted, actor.user_id,
                                         app.now_ms());
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record_application(app, store, actor, "application.edit", v->application); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return reload(store, application_id);
}

Result<ApplicationView> withdraw_application(App& app, store::Store& store, const Actor& actor,
                                             int64_t application_id) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto v = visible_application(store, actor, application_id);
  if (!v) return tl::unexpected(v.error());
  if (auto ok = accepting(app, v->cycle, "撤回申请"); !ok) return tl::unexpected(ok.error());
  if (v->application.state != store::ApplicationState::kSubmitted) return fail("STATE_CONFLICT", "申请已撤回");
  if (auto ok = store.update_application(application_id, v->application.family, store::ApplicationState::kWithdrawn,
                                         actor.user_id, app.now_ms());
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = record_application(app, store, actor, "application.withdraw", v->application); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return reload(store, application_id);
}

Result<ApplicationView> get_application(App&, store::Store& store, const Actor& actor, int64_t application_id) {
  auto v = visible_application(store, actor, application_id);
  if (!v) return tl::unexpected(v.error());
  return view_of(store, v->application);
}

namespace {

// A search text: trimmed of spaces (ASCII and the ideographic space an IME
// types), then whole UTF-8 of at most kSearchCharsMax characters with no
// control characters; empty → nothing to filter by.
Result<std::optional<std::string>> search_text(const std::optional<std::string>& given, std::string_view name) {
  if (!given) return std::optional<std::string>();
  std::string_view t = *given;
  constexpr std::string_view kIdeographicSpace = "\u3000";
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1), trimmed = true;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1), trimmed = true;
    if (t.starts_with(kIdeographicSpace)) t.remove_prefix(kIdeographicSpace.size()), trimmed = true;
    if (t.ends_with(kIdeographicSpace)) t.remove_suffix(kIdeographicSpace.size()), trimmed = true;
  }
  if (t.empty()) return std::optional<std::string>();
  const std::string field(name);
  if (!io::is_valid_utf8(t)) return field_error("BAD_VALUE", field + " 须为有效的 UTF-8 文字", field);
  size_t chars = 0;
  for (const char ch : t) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) return field_error("BAD_VALUE", field + " 不能含控制字符", field);
    if ((byte & 0xC0) != 0x80) ++chars;  // a character starts at each byte that is not a continuation
  }
  if (chars > kSearchCharsMax) {
    return field_error("BAD_VALUE", field + " 最多 " + std::to_string(kSearchCharsMax) + " 个字", field);
  }
  return std::optional<std::string>(std::string(t));
}

// The school's decision on the applicant, for the list's column.
Result<void> add_decision(store::Store& store, ApplicationView& v) {
  auto d = store.decision(v.cycle_id, v.student_id);
  if (!d) return tl::unexpected(d.error());
  if (!*d) {
    v.decision = "UNDECIDED";
  } else if ((*d)->level) {
    v.decision = "FUNDED";
    v.decision_level = (*d)->level;
  } else {
    v.decision = "NOT_FUNDED";
  }
  return {};
}

}  // namespace

Result<Page<ApplicationView>> list_applications(App&, store::Store& store, const Actor& actor, int64_t cycle_id,
                                                const ApplicationQuery& query, const PageRequest& page) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  store::ApplicationFilter filter;
  Page<ApplicationView> out;
  if (query.state) {
    if (*query.state == "SUBMITTED") {
      filter.state = store::ApplicationState::kSubmitted;
    } else if (*query.state == "WITHDRAWN") {
      filter.state = store::ApplicationState::kWithdrawn;
    } else {
      return field_error("BAD_VALUE", "state 须为 SUBMITTED 或 WITHDRAWN", "state");
    }
  }
  if (query.decision) {
    if (*query.decision == "UNDECIDED") {
      filter.decision = store::ApplicationDecision::kUndecided;
    } else if (*query.decision == "FUNDED") {
      filter.decision = store::ApplicationDecision::kFunded;
    } else if (*query.decision == "NOT_FUNDED") {
      filter.decision = store::ApplicationDecision::kNotFunded;
    } else {
      return field_error("BAD_VALUE", "decision 须为 UNDECIDED、FUNDED 或 NOT_FUNDED", "decision");
    }
  }
  auto q = search_text(query.q, "q");
  if (!q) return tl::unexpected(q.error());
  if (*q) {
    // A whole 学籍号 is sought by its blind index (the number is sealed, and
    // its masked form hides the digits one would type); anything else is a
    // part of a name.
    std::string as_number = **q;  // the kind letter as typed may be lower-case
    if (as_number.size() == 19 && as_number[0] >= 'a' && as_number[0] <= 'z') {
      as_number[0] = static_cast<char>(as_number[0] - 'a' + 'A');
    }
    if (const auto key = student_no_key(as_number)) {
      filter.student_no = store::SensitiveText(student_no_from_key(*key));
    } else {
      filter.name_part = std::move(**q);
    }
  }
  auto class_part = search_text(query.class_name, "class_name");
  if (!class_part) return tl::unexpected(class_part.error());
  filter.class_part = std::move(*class_part);
  // Checked after every parameter, so that a bad one is named even when the
  // school is unknown.
  if (query.school_code) {
    auto school = store.find_school(*query.school_code);
    if (!school) return tl::unexpected(school.error());
    if (!*school) return out;  // no such school: nothing, as for one outside the scope
    filter.school_id = (*school)->org_id;
  }
  auto found = store.applications_page(cycle_id, actor.org_path, filter, page.offset(), page.page_size);
  if (!found) return tl::unexpected(found.error());
  out.total = found->total;
  for (const auto& a : found->items) {
    auto v = view_of(store, a);
    if (!v) return tl::unexpected(v.error());
    if (auto ok = add_decision(store, *v); !ok) return tl::unexpected(ok.error());
    out.items.push_back(std::move(*v));
  }
  return out;
}

Result<store::Application> reachable_application(App& app, store::Store& store, const Actor& actor,
                                                 int64_t application_id, bool changing) {
  auto v = visible_application(store, actor, application_id);
  if (!v) return tl::unexpected(v.error());
  if (changing) {
    if (auto ok = accepting(app, v->cycle, "修改申请材料"); !ok) return tl::unexpected(ok.error());
    if (v->application.state != store::ApplicationState::kSubmitted) {
      return fail("STATE_CONFLICT", "申请已撤回，请重新提交");
    }
  }
  return std::move(v->application);
}

namespace {

// A guardian's children, each with the cycles of its county.
struct ChildCycles {
  store::StudentListing child;
  std::vector<store::Cycle> cycles;
};

Result<std::vector<ChildCycles>> children_with_cycles(store::Store& store, const Actor& actor) {
  std::vector<ChildCycles> out;
  if (!actor.guardian_id) return out;
  auto children = store.students_of_guardian(*actor.guardian_id);
  if (!children) return tl::unexpected(children.error());
  for (auto& child : *children) {
    auto node = store.get_org_node(child.school_id);
    if (!node) return tl::unexpected(node.error());
    if (!*node) continue;
    auto cycles = store.cycles_for((*node)->path);
    if (!cycles) return tl::unexpected(cycles.error());
    out.push_back({std::move(child), std::move(*cycles)});
  }
  return out;
}

}  // namespace

Result<std::vector<ApplicationView>> guardian_applications(App&, store::Store& store, const Actor& actor) {
  auto children = children_with_cycles(store, actor);
  if (!children) return tl::unexpected(children.error());
  std::vector<ApplicationView> out;
  for (const auto& [child, cycles] : *children) {
    for (const auto& c : cycles) {
      auto a = store.find_application(c.id, child.id);
      if (!a) return tl::unexpected(a.error());
      if (!*a) continue;
      auto v = view_of(store, **a);
      if (!v) return tl::unexpected(v.error());
      out.push_back(std::move(*v));
    }
  }
  return out;
}

Result<std::vector<GuardianCycle>> guardian_cycles(App& app, store::Store& store, const Actor& actor) {
  auto children = children_with_cycles(store, actor);
  if (!children) return tl::unexpected(children.error());
  std::vector<GuardianCycle> out;
  for (const auto& [child, cycles] : *children) {
    for (const auto& c : cycles) {
      if (c.state != store::CycleState::kOpen) continue;
      auto entry = std::find_if(out.begin(), out.end(), [&](const GuardianCycle& g) { return g.cycle_id == c.id; });
      if (entry == out.end()) {
        GuardianCycle g;
        g.cycle_id = c.id;
        g.name = c.name;
        g.school_year = c.school_year;
        if (c.applications_open_on) g.applications_open_on = c.applications_open_on->iso();
        if (c.applications_close_on) g.applications_close_on = c.applications_close_on->iso();
        g.accepting = accepting(app, c, "").has_value();
        g.today = china_today(app).iso();
        out.push_back(std::move(g));
        entry = out.end() - 1;
      }
      entry->student_ids.push_back(child.id);
    }
  }
  return out;
}

}  // namespace zizhu::app
