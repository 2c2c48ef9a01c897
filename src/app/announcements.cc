#include "app/announcements.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <set>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "app/school_list.h"
#include "core/masking.h"
#include "crypto/sm3.h"
#include "print/announcement.h"

namespace zizhu::app {

namespace {

std::string level_label_of(const Policy& policy, const std::optional<int>& level) {
  if (!level) return "取消资助";
  const int i = policy.level_index(*level);
  return i < 0 ? std::to_string(*level) : policy.levels[static_cast<size_t>(i)].name;
}

bool running_on(const store::Announcement& a, const std::string& today) {
  return a.starts_on <= today && today <= a.ends_on;
}

// What the school's earlier announcements showed: every (student, source)
// announced, and the students once announced as funded.
struct Announced {
  std::set<std::pair<int64_t, std::string>> sources;
  std::set<int64_t> funded;
  size_t count = 0;
};

Result<Announced> announced_so_far(store::Store& store, int64_t cycle_id, int64_t school_id) {
  auto all = store.announcements_of(cycle_id, school_id);
  if (!all) return tl::unexpected(all.error());
  Announced out;
  out.count = all->size();
  for (const auto& a : *all) {
    boost::system::error_code ec;
    const auto rows = boost::json::parse(a.entries, ec);
    if (ec || !rows.is_array()) return fail("DB_CORRUPT", "公示内容不正确 (announcement " + std::to_string(a.id) + ")");
    for (const auto& v : rows.get_array()) {
      const auto& o = v.as_object();
      const int64_t id = o.at("student_id").as_int64();
      out.sources.emplace(id, std::string(o.at("source").as_string()));
      if (!o.at("level").is_null()) out.funded.insert(id);
    }
  }
  return out;
}

// Builds and stores an announcement of `entries` (in the caller's transaction).
// The announcement as it would be published today: its rows as the public
// sees them, its period and the SM3 of its content. Nothing is written: the
// preview shows this, publishing saves it.
Result<store::Announcement> compose(App& app, store::Store& store, const Actor& actor, const store::Cycle& cycle,
                                    int64_t school_id, int round, const std::string& kind,
                                    const std::vector<ListEntry>& entries, const Announced& before,
                                    int working_days) {
  auto policy = cycle_policy(store, cycle);
  if (!policy) return tl::unexpected(policy.error());
  auto school = store.get_org_node(school_id);
  if (!school) return tl::unexpected(school.error());
  if (!*school) return fail("NOT_FOUND", "学校不存在");
  boost::json::array rows;
  int no = 0;
  for (const auto& e : entries) {
    auto student = store.get_student_listing(e.student_id);
    if (!student) return tl::unexpected(student.error());
    if (!*student) return fail("INTERNAL", "名单中的学生不存在");
    std::string change;
    if (kind == "change") {
      if (!before.funded.count(e.student_id)) {
        change = "新增";
      } else {
        change = e.term2.level ? "调整" : "取消";
      }
    }
    rows.push_back(boost::json::object({
        {"no", ++no},
        {"student_id", e.student_id},
        {"source", e.source},
        {"name", mask_name((*student)->name)},
        {"school", (*school)->name},
        {"grade", (*student)->grade},
        {"class", (*student)->class_name},
        {"level", e.term2.level ? boost::json::value(*e.term2.level) : boost::json::value(nullptr)},
        {"level_label", level_label_of(*policy, e.term2.level)},
        {"change", change},
    }));
  }
  store::Announcement a;
  a.cycle_id = cycle.id;
  a.school_id = school_id;
  a.round = round;
  a.kind = kind;
  const Date today = china_today(app);
  a.starts_on = today.iso();
  a.ends_on = app.calendar().add_working_days(today, working_days).iso();
  a.working_days = working_days;
  a.entries = boost::json::serialize(rows);
  a.entries_sm3 = crypto::to_hex(crypto::sm3(a.entries));
  a.published_by = actor.user_id;
  a.published_at_ms = app.now_ms();
  a.school_code = (*school)->code;
  a.school_name = (*school)->name;
  return a;
}

Result<int64_t> publish(App& app, store::Store& store, const Actor& actor, const store::Cycle& cycle,
                        int64_t school_id, int round, const std::string& kind, const std::vector<ListEntry>& entries,
                        const Announced& before, int working_days) {
  auto a = compose(app, store, actor, cycle, school_id, round, kind, entries, before, working_days);
  if (!a) return tl::unexpected(a.error());
  auto id = store.add_announcement(*a);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = record(app, store, actor,
                       {"announcement.publish", "announcement", std::to_string(*id), "ok",
                        summary_json({{"cycle_id", std::to_string(cycle.id)},
                                      {"school", a->school_code},
                                      {"kind", kind},
                                      {"rows", std::to_string(entries.size())},
                                      {"starts_on", a->starts_on},
                                      {"ends_on", a->ends_on},
                                      {"sm3", a->entries_sm3}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  return *id;
}

// The entries that changed since they were last announced: funded now, or
// announced as funded before.
std::vector<ListEntry> pending_entries(const std::vector<ListEntry>& list, const Announced& before) {
  std::vector<ListEntry> out;
  for (const auto& e : list) {
    if (before.sources.count({e.student_id, e.source})) continue;
    if (e.term2.level || before.funded.count(e.student_id)) out.push_back(e);
  }
  return out;
}

Result<store::Announcement> staff_announcement(store::Store& store, const Actor& actor, int64_t id) {
  auto a = store.get_announcement(id);
  if (!a) return tl::unexpected(a.error());
  if (!*a || !actor.in_scope((*a)->school_path)) return fail("NOT_FOUND", "公示不存在");
  return std::move(**a);
}

Result<print::Announcement> printable(App& app, store::Store& store, const Actor& actor, int64_t id) {
  auto a = staff_announcement(store, actor, id);
  if (!a) return tl::unexpected(a.error());
  auto v = announcement_view(app, store, *a);
  if (!v) return tl::unexpected(v.error());
  print::Announcement p;
  p.school_name = v->school_name;
  p.school_year = v->school_year;
  p.title = v->school_name + " " + v->school_year + " 学年义务教育家庭经济困难学生资助名单公示" +
            (v->kind == "change" ? "（变更）" : "");
  auto start = parse_date(v->starts_on);
  auto end = parse_date(v->ends_on);
  if (!start || !end) return fail("DB_CORRUPT", "公示日期不正确");
  p.start = *start;
  p.end = *end;
  p.contact = "对公示名单有异议的，请在公示期内通过资助公示网页（公示编号 " + std::to_string(v->id) +
              "）或向学校资助工作办公室反映，可署名也可匿名。";
  p.issued_by = v->school_name;
  p.issued_on = china_date(v->published_at_ms);
  for (const auto& r : v->rows) {
    std::string label = r.level_label;
    if (!r.change.empty() && r.change != "取消") label += "（" + r.change + "）";
    p.rows.push_back({r.name_masked, r.school_name, r.grade, r.class_name, label});
  }
  if (auto ok = record(app, store, actor, {"announcement.print", "announcement", std::to_string(id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  return p;
}

}  // namespace

Result<AnnouncementView> announcement_view(App& app, store::Store& store, const store::Announcement& a) {
  AnnouncementView v;
  v.id = a.id;
  v.cycle_id = a.cycle_id;
  v.school_code = a.school_code;
  v.school_name = a.school_name;
  v.round = a.round;
  v.kind = a.kind;
  v.starts_on = a.starts_on;
  v.ends_on = a.ends_on;
  v.working_days = a.working_days;
  v.running = running_on(a, china_today(app).iso());
  v.entries_sm3 = a.entries_sm3;
  v.published_at_ms = a.published_at_ms;
  auto cycle = store.get_cycle(a.cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (*cycle) v.school_year = (*cycle)->school_year;
  boost::system::error_code ec;
  const auto rows = boost::json::parse(a.entries, ec);
  if (ec || !rows.is_array()) return fail("DB_CORRUPT", "公示内容不正确 (announcement " + std::to_string(a.id) + ")");
  for (const auto& value : rows.get_array()) {
    const auto& o = value.as_object();
    AnnouncedRow r;
    r.no = static_cast<int>(o.at("no").as_int64());
    r.name_masked = std::string(o.at("name").as_string());
    r.school_name = std::string(o.at("school").as_string());
    r.grade = static_cast<int>(o.at("grade").as_int64());
    r.class_name = std::string(o.at("class").as_string());
    r.level_label = std::string(o.at("level_label").as_string());
    r.change = std::string(o.at("change").as_string());
    v.rows.push_back(std::move(r));
    v.student_ids.push_back(o.at("student_id").as_int64());
  }
  return v;
}

namespace {

// What announcing would publish, after every check announcing makes.
struct ToAnnounce {
  store::Cycle cycle;
  int64_t school_id = 0;
  int round = 1;
  std::string kind;
  std::vector<ListEntry> entries;
  Announced before;
  int working_days = 0;
};

Result<ToAnnounce> to_announce(store::Store& store, const Actor& actor, int64_t cycle_id,
                               const std::optional<std::string>& school_code, std::optional<int> working_days) {
  auto at = school_of_cycle(store, actor, cycle_id, school_code);
  if (!at) return tl::unexpected(at.error());
  if (auto ok = require_state(at->cycle, {store::CycleState::kReview, store::CycleState::kApproved}, "发布公示"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto state = list_state(store, cycle_id, at->school.org_id);
  if (!state) return tl::unexpected(state.error());
  if (auto ok = require_list_stage(*state, {store::ListStage::kReview}, "发布公示"); !ok) {
    return tl::unexpected(ok.error());
  }
  const int days = working_days.value_or(kAnnouncementWorkingDaysMin);
  if (days < kAnnouncementWorkingDaysMin || days > kAnnouncementWorkingDaysMax) {
    return field_error("BAD_VALUE", "公示期为 5 至 30 个工作日", "working_days");
  }
  auto list = current_list(store, cycle_id, at->school.org_id);
  if (!list) return tl::unexpected(list.error());
  if (state->round == 1) {
    auto candidates = school_candidates(store, cycle_id, at->school);
    if (!candidates) return tl::unexpected(candidates.error());
    if (candidates->empty()) return fail("RULE", "本校还没有资格认定结果，请先运行资格认定并评审");
    std::set<int64_t> decided;
    for (const auto& e : *list) decided.insert(e.student_id);
    size_t undecided = 0;
    for (const auto& c : *candidates) {
      if (c.student_id && !decided.count(*c.student_id)) ++undecided;
    }
    if (undecided > 0) return fail("RULE", "还有 " + std::to_string(undecided) + " 名候选学生未作评审决定");
  }
  auto before = announced_so_far(store, cycle_id, at->school.org_id);
  if (!before) return tl::unexpected(before.error());
  const auto pending = pending_entries(*list, *before);
  if (pending.empty()) {
    return fail("RULE", before->count == 0 ? "名单中没有资助学生，无需公示" : "名单自上次公示后没有变化，可直接提交备案");
  }
  ToAnnounce out;
  out.kind = (state->round == 1 && before->count == 0) ? "list" : "change";
  out.cycle = std::move(at->cycle);
  out.school_id = at->school.org_id;
  out.round = state->round;
  out.entries = pending;
  out.before = std::move(*before);
  out.working_days = days;
  return out;
}

}  // namespace

Result<AnnouncementView> announce(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                  const std::optional<std::string>& school_code, std::optional<int> working_days) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto t = to_announce(store, actor, cycle_id, school_code, working_days);
  if (!t) return tl::unexpected(t.error());
  auto id = publish(app, store, actor, t->cycle, t->school_id, t->round, t->kind, t->entries, t->before,
                    t->working_days);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = set_list_stage(app, store, cycle_id, t->school_id, t->round, store::ListStage::kAnnouncing); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return get_announcement(app, store, actor, *id);
}

Result<AnnouncementView> preview_announcement(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                              const std::optional<std::string>& school_code,
                                              std::optional<int> working_days) {
  auto t = to_announce(store, actor, cycle_id, school_code, working_days);
  if (!t) return tl::unexpected(t.error());
  auto a = compose(app, store, actor, t->cycle, t->school_id, t->round, t->kind, t->entries, t->before,
                   t->working_days);
  if (!a) return tl::unexpected(a.error());
  auto v = announcement_view(app, store, *a);
  if (!v) return tl::unexpected(v.error());
  v->running = false;  // not published: the public sees nothing yet
  return v;
}

Result<int64_t> announce_changes(App& app, store::Store& store, const Actor& actor, const store::Cycle& cycle,
                                 int64_t school_id, const std::vector<int64_t>& student_ids) {
  auto state = list_state(store, cycle.id, school_id);
  if (!state) return tl::unexpected(state.error());
  auto list = current_list(store, cycle.id, school_id);
  if (!list) return tl::unexpected(list.error());
  auto before = announced_so_far(store, cycle.id, school_id);
  if (!before) return tl::unexpected(before.error());
  std::vector<ListEntry> entries;
  for (const auto& e : pending_entries(*list, *before)) {
    if (std::find(student_ids.begin(), student_ids.end(), e.student_id) != student_ids.end()) entries.push_back(e);
  }
  if (entries.empty()) return fail("INTERNAL", "没有需要重新公示的变更");
  return publish(app, store, actor, cycle, school_id, state->round, "change", entries, *before,
                 kAnnouncementWorkingDaysMin);
}

Result<int64_t> entries_to_announce(store::Store& store, int64_t cycle_id, int64_t school_id) {
  auto list = current_list(store, cycle_id, school_id);
  if (!list) return tl::unexpected(list.error());
  auto before = announced_so_far(store, cycle_id, school_id);
  if (!before) return tl::unexpected(before.error());
  return static_cast<int64_t>(pending_entries(*list, *before).size());
}

Result<std::vector<AnnouncementView>> list_announcements(App& app, store::Store& store, const Actor& actor,
                                                         int64_t cycle_id,
                                                         const std::optional<std::string>& school_code) {
  std::vector<store::School> schools;
  if (school_code || actor.org_kind == store::OrgKind::kSchool) {
    auto at = school_of_cycle(store, actor, cycle_id, school_code);
    if (!at) return tl::unexpected(at.error());
    schools.push_back(std::move(at->school));
  } else {
    auto cycle = visible_cycle(store, actor, cycle_id);
    if (!cycle) return tl::unexpected(cycle.error());
    auto under = store.schools_under(cycle->county_path);
    if (!under) return tl::unexpected(under.error());
    for (auto& s : *under) {
      if (actor.in_scope(s.path)) schools.push_back(std::move(s));
    }
  }
  std::vector<AnnouncementView> out;
  for (const auto& school : schools) {
    auto found = store.announcements_of(cycle_id, school.org_id);
    if (!found) return tl::unexpected(found.error());
    for (const auto& a : *found) {
      auto v = announcement_view(app, store, a);
      if (!v) return tl::unexpected(v.error());
      out.push_back(std::move(*v));
    }
  }
  return out;
}

Result<AnnouncementView> get_announcement(App& app, store::Store& store, const Actor& actor,
                                          int64_t announcement_id) {
  auto a = staff_announcement(store, actor, announcement_id);
  if (!a) return tl::unexpected(a.error());
  return announcement_view(app, store, *a);
}

Result<std::string> announcement_pdf(App& app, store::Store& store, const Actor& actor, int64_t announcement_id) {
  auto p = printable(app, store, actor, announcement_id);
  if (!p) return tl::unexpected(p.error());
  return print::announcement_pdf(*p);
}

Result<std::string> announcement_xlsx(App& app, store::Store& store, const Actor& actor, int64_t announcement_id) {
  auto p = printable(app, store, actor, announcement_id);
  if (!p) return tl::unexpected(p.error());
  return print::announcement_xlsx(*p);
}

Result<std::vector<AnnouncementView>> public_announcements(App& app, store::Store& store,
                                                           const std::optional<std::string>& county_code) {
  std::string path = "/";
  if (county_code) {
    auto county = store.find_org_node(*county_code);
    if (!county) return tl::unexpected(county.error());
    if (!*county || (*county)->kind != store::OrgKind::kCounty) return std::vector<AnnouncementView>();
    path = (*county)->path;
  }
  auto found = store.running_announcements(path, china_today(app).iso(), kPublicAnnouncementsMax);
  if (!found) return tl::unexpected(found.error());
  std::vector<AnnouncementView> out;
  for (const auto& a : *found) {
    auto v = announcement_view(app, store, a);
    if (!v) return tl::unexpected(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

Result<AnnouncementView> public_announcement(App& app, store::Store& store, int64_t announcement_id) {
  auto a = store.get_announcement(announcement_id);
  if (!a) return tl::unexpected(a.error());
  if (!*a || !running_on(**a, china_today(app).iso())) return fail("NOT_FOUND", "公示不存在或已结束");
  return announcement_view(app, store, **a);
}

}  // namespace zizhu::app
