#include "app/objections.h"

#include "app/announcements.h"
#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "app/review.h"
#include "app/school_list.h"
#include "crypto/random.h"
#include "crypto/sm3.h"

namespace zizhu::app {

namespace {

std::string receipt_hash(std::string_view receipt) { return crypto::to_hex(crypto::sm3(receipt)); }

std::string_view state_label(std::string_view state) {
  if (state == "OPEN") return "待答复";
  if (state == "UPHELD") return "异议成立";
  if (state == "DISMISSED") return "异议不成立";
  if (state == "APPEALED") return "已向区县申诉";
  if (state == "APPEAL_UPHELD") return "申诉成立";
  if (state == "APPEAL_DISMISSED") return "申诉不成立";
  return "";
}

bool is_open(const store::Objection& o, const std::string& today) {
  if (o.state == "OPEN" || o.state == "APPEALED") return true;
  return o.state == "DISMISSED" && o.appeal_due_on && today <= *o.appeal_due_on;
}

bool is_overdue(const store::Objection& o, const std::string& today) {
  if (o.state == "OPEN") return today > o.answer_due_on;
  if (o.state == "APPEALED") return o.decision_due_on && today > *o.decision_due_on;
  return false;
}

Result<void> check_text(std::string_view text, std::string_view field) {
  if (text.empty()) return field_error("BAD_VALUE", "请填写内容", std::string(field));
  if (text.size() > kObjectionTextBytesMax) return field_error("BAD_VALUE", "不超过 2000 字节", std::string(field));
  return refuse_id_like_digits(text, std::string(field));
}

Result<ObjectionView> view_of(App& app, store::Store& store, const store::Objection& o, bool staff) {
  ObjectionView v;
  v.id = o.id;
  v.cycle_id = o.cycle_id;
  v.announcement_id = o.announcement_id;
  auto school = store.get_org_node(o.school_id);
  if (!school) return tl::unexpected(school.error());
  if (*school) {
    v.school_code = (*school)->code;
    v.school_name = (*school)->name;
  }
  v.entry_no = o.entry_no;
  if (o.entry_no) {
    auto a = store.get_announcement(o.announcement_id);
    if (!a) return tl::unexpected(a.error());
    if (*a) {
      auto av = announcement_view(app, store, **a);
      if (!av) return tl::unexpected(av.error());
      const auto i = static_cast<size_t>(*o.entry_no - 1);
      if (i < av->rows.size()) v.entry_name_masked = av->rows[i].name_masked;
    }
  }
  v.text = o.text;
  v.objector_name = o.objector_name;
  v.state = o.state;
  v.state_label = std::string(state_label(o.state));
  v.received_on = china_date(o.received_at_ms).iso();
  v.answer_due_on = o.answer_due_on;
  v.answer = o.answer;
  v.appeal_due_on = o.appeal_due_on;
  v.appeal_text = o.appeal_text;
  v.decision_due_on = o.decision_due_on;
  v.decision = o.decision;
  const std::string today = china_today(app).iso();
  v.overdue = is_overdue(o, today);
  v.open = is_open(o, today);
  if (staff) v.student_id = o.student_id;
  return v;
}

// The objection if its school is in the actor's scope.
Result<store::Objection> staff_objection(store::Store& store, const Actor& actor, int64_t id) {
  auto o = store.get_objection(id);
  if (!o) return tl::unexpected(o.error());
  if (!*o) return fail("NOT_FOUND", "异议不存在");
  auto school = store.get_org_node((*o)->school_id);
  if (!school) return tl::unexpected(school.error());
  if (!*school || !actor.in_scope((*school)->path)) return fail("NOT_FOUND", "异议不存在");
  return std::move(**o);
}

// Upholding an objection about a row: the entry's change, recorded and
// announced again for the full period (in the caller's transaction).
Result<void> apply_change(App& app, store::Store& store, const Actor& actor, const store::Objection& o,
                          bool upheld, const EntryChange& change, std::string_view cause, std::string_view reason) {
  if (!upheld || !o.student_id) {
    if (change) return field_error("BAD_VALUE", "只有成立的、针对名单中某一行的异议才变更名单", "level");
    return {};
  }
  if (!change) return field_error("BAD_VALUE", "异议成立：请给出该学生的新资助等级（不再资助填 null）", "level");
  auto cycle = store.get_cycle(o.cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (!*cycle) return fail("NOT_FOUND", "资助周期不存在");
  auto list = current_list(store, o.cycle_id, o.school_id);
  if (!list) return tl::unexpected(list.error());
  std::optional<int> now;
  for (const auto& e : *list) {
    if (e.student_id == *o.student_id) now = e.term2.level;
  }
  if (now == *change) return field_error("RULE", "与名单现有等级相同：异议成立须变更该行", "level");
  auto amount = check_entry_change(store, actor, o.cycle_id, *o.student_id, *change);
  if (!amount) return tl::unexpected(amount.error());
  auto state = list_state(store, o.cycle_id, o.school_id);
  if (!state) return tl::unexpected(state.error());
  store::ListChange c;
  c.cycle_id = o.cycle_id;
  c.school_id = o.school_id;
  c.student_id = *o.student_id;
  c.round = state->round;
  c.level = *change;
  c.amount = *amount;
  c.from_term = state->round > 1 ? 2 : 1;
  c.cause = std::string(cause);
  c.objection_id = o.id;
  c.reason = std::string(reason);
  c.made_by = actor.user_id;
  c.made_at_ms = app.now_ms();
  if (auto id = store.add_list_change(c); !id) return tl::unexpected(id.error());
  auto announced = announce_changes(app, store, actor, **cycle, o.school_id, {*o.student_id});
  if (!announced) return tl::unexpected(announced.error());
  return {};
}

Result<void> require_announcing(store::Store& store, const store::Objection& o, std::string_view doing) {
  auto state = list_state(store, o.cycle_id, o.school_id);
  if (!state) return tl::unexpected(state.error());
  return require_list_stage(*state, {store::ListStage::kAnnouncing}, doing);
}

// The public has no organisation: its objections and appeals are recorded
// under the school they concern, so that the county's auditor sees them.
Result<Actor> public_actor_at_school(store::Store& store, const Actor& actor, int64_t school_id) {
  auto school = store.get_org_node(school_id);
  if (!school) return tl::unexpected(school.error());
  if (!*school) return fail("NOT_FOUND", "学校不存在");
  Actor at = actor;
  at.org_id = (*school)->id;
  at.org_kind = (*school)->kind;
  at.org_code = (*school)->code;
  at.org_name = (*school)->name;
  at.org_path = (*school)->path;
  return at;
}

std::string level_text(const EntryChange& change) {
  if (!change) return "";
  return *change ? std::to_string(**change) : "none";
}

}  // namespace

Result<NewObjection> submit_objection(App& app, store::Store& store, const Actor& actor, int64_t announcement_id,
                                      std::optional<int> entry_no, std::string_view text,
                                      const std::optional<std::string>& objector_name) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto a = public_announcement(app, store, announcement_id);
  if (!a) return tl::unexpected(a.error());
  std::optional<int64_t> student_id;
  if (entry_no) {
    if (*entry_no < 1 || static_cast<size_t>(*entry_no) > a->rows.size()) {
      return field_error("BAD_VALUE", "公示中没有这一行", "entry_no");
    }
    student_id = a->student_ids[static_cast<size_t>(*entry_no - 1)];
  }
  if (auto ok = check_text(text, "text"); !ok) return tl::unexpected(ok.error());
  std::optional<std::string> name;
  if (objector_name && !objector_name->empty()) {
    if (objector_name->size() > kObjectorNameBytesMax) return field_error("BAD_VALUE", "姓名过长", "name");
    if (auto ok = refuse_id_like_digits(*objector_name, "name"); !ok) return tl::unexpected(ok.error());
    name = *objector_name;
  }
  auto stored = store.get_announcement(announcement_id);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return fail("NOT_FOUND", "公示不存在或已结束");
  const std::string receipt = crypto::random_token(16);
  store::Objection o;
  o.cycle_id = (*stored)->cycle_id;
  o.school_id = (*stored)->school_id;
  o.announcement_id = announcement_id;
  o.entry_no = entry_no;
  o.student_id = student_id;
  o.text = std::string(text);
  o.objector_name = name;
  o.receipt_hash = receipt_hash(receipt);
  o.state = "OPEN";
  o.received_at_ms = app.now_ms();
  o.answer_due_on = app.calendar().add_working_days(china_today(app), kObjectionWorkingDays).iso();
  auto id = store.add_objection(o);
  if (!id) return tl::unexpected(id.error());
  o.id = *id;
  auto recorder = public_actor_at_school(store, actor, o.school_id);
  if (!recorder) return tl::unexpected(recorder.error());
  if (auto ok = record(app, store, *recorder,
                       {"objection.submit", "objection", std::to_string(*id), "ok",
                        summary_json({{"announcement_id", std::to_string(announcement_id)},
                                      {"entry_no", entry_no ? std::to_string(*entry_no) : "list"},
                                      {"named", name ? "yes" : "no"}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  auto v = view_of(app, store, o, false);
  if (!v) return tl::unexpected(v.error());
  return NewObjection{std::move(*v), receipt};
}

Result<ObjectionView> objection_by_receipt(App& app, store::Store& store, std::string_view receipt) {
  if (receipt.empty() || receipt.size() > 100) return fail("NOT_FOUND", "没有这个回执号的异议");
  auto o = store.find_objection_by_receipt(receipt_hash(receipt));
  if (!o) return tl::unexpected(o.error());
  if (!*o) return fail("NOT_FOUND", "没有这个回执号的异议");
  return view_of(app, store, **o, false);
}

Result<ObjectionView> appeal_objection(App& app, store::Store& store, const Actor& actor, std::string_view receipt,
                                       std::string_view text) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  if (receipt.empty() || receipt.size() > 100) return fail("NOT_FOUND", "没有这个回执号的异议");
  auto found = store.find_objection_by_receipt(receipt_hash(receipt));
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail("NOT_FOUND", "没有这个回执号的异议");
  store::Objection o = std::move(**found);
  if (o.state != "DISMISSED") {
    return fail("STATE_CONFLICT", "异议当前为“" + std::string(state_label(o.state)) + "”，不能申诉");
  }
  const std::string today = china_today(app).iso();
  if (!o.appeal_due_on || today > *o.appeal_due_on) {
    return fail("RULE", "申诉期已于 " + o.appeal_due_on.value_or("") + " 结束");
  }
  if (auto ok = check_text(text, "text"); !ok) return tl::unexpected(ok.error());
  o.state = "APPEALED";
  o.appeal_text = std::string(text);
  o.appealed_at_ms = app.now_ms();
  o.decision_due_on = app.calendar().add_working_days(china_today(app), kObjectionWorkingDays).iso();
  if (auto ok = store.update_objection(o); !ok) return tl::unexpected(ok.error());
  auto recorder = public_actor_at_school(store, actor, o.school_id);
  if (!recorder) return tl::unexpected(recorder.error());
  if (auto ok = record(app, store, *recorder, {"objection.appeal", "objection", std::to_string(o.id)}); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(app, store, o, false);
}

Result<std::vector<ObjectionView>> list_objections(App& app, store::Store& store, const Actor& actor,
                                                   int64_t cycle_id, const std::optional<std::string>& school_code) {
  std::optional<int64_t> school_id;
  if (school_code || actor.org_kind == store::OrgKind::kSchool) {
    auto at = school_of_cycle(store, actor, cycle_id, school_code);
    if (!at) return tl::unexpected(at.error());
    school_id = at->school.org_id;
  } else {
    auto cycle = visible_cycle(store, actor, cycle_id);
    if (!cycle) return tl::unexpected(cycle.error());
  }
  auto found = store.objections_of(cycle_id, school_id);
  if (!found) return tl::unexpected(found.error());
  std::vector<ObjectionView> out;
  for (const auto& o : *found) {
    auto school = store.get_org_node(o.school_id);
    if (!school) return tl::unexpected(school.error());
    if (!*school || !actor.in_scope((*school)->path)) continue;
    auto v = view_of(app, store, o, true);
    if (!v) return tl::unexpected(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

Result<ObjectionView> answer_objection(App& app, store::Store& store, const Actor& actor, int64_t objection_id,
                                       bool upheld, std::string_view answer, const EntryChange& change) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto o = staff_objection(store, actor, objection_id);
  if (!o) return tl::unexpected(o.error());
  if (o->state != "OPEN") {
    return fail("STATE_CONFLICT", "异议当前为“" + std::string(state_label(o->state)) + "”，不能再答复");
  }
  if (auto ok = require_announcing(store, *o, "答复异议"); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_text(answer, "answer"); !ok) return tl::unexpected(ok.error());
  if (auto ok = apply_change(app, store, actor, *o, upheld, change, "objection", answer); !ok) {
    return tl::unexpected(ok.error());
  }
  o->state = upheld ? "UPHELD" : "DISMISSED";
  o->answer = std::string(answer);
  o->answered_by = actor.user_id;
  o->answered_at_ms = app.now_ms();
  if (!upheld) o->appeal_due_on = app.calendar().add_working_days(china_today(app), kObjectionWorkingDays).iso();
  if (auto ok = store.update_objection(*o); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"objection.answer", "objection", std::to_string(objection_id), "ok",
                        summary_json({{"upheld", upheld ? "yes" : "no"}, {"level", level_text(change)},
                                      {"answer", answer}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(app, store, *o, true);
}

Result<ObjectionView> decide_appeal(App& app, store::Store& store, const Actor& actor, int64_t objection_id,
                                    bool upheld, std::string_view decision, const EntryChange& change) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto o = staff_objection(store, actor, objection_id);
  if (!o) return tl::unexpected(o.error());
  if (actor.org_kind != store::OrgKind::kCounty) return fail("FORBIDDEN", "申诉由区县资助中心裁决");
  if (o->state != "APPEALED") {
    return fail("STATE_CONFLICT", "异议当前为“" + std::string(state_label(o->state)) + "”，没有待裁决的申诉");
  }
  if (auto ok = require_announcing(store, *o, "裁决申诉"); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_text(decision, "decision"); !ok) return tl::unexpected(ok.error());
  if (auto ok = apply_change(app, store, actor, *o, upheld, change, "appeal", decision); !ok) {
    return tl::unexpected(ok.error());
  }
  o->state = upheld ? "APPEAL_UPHELD" : "APPEAL_DISMISSED";
  o->decision = std::string(decision);
  o->decided_by = actor.user_id;
  o->decided_at_ms = app.now_ms();
  if (auto ok = store.update_objection(*o); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor,
                       {"objection.decide_appeal", "objection", std::to_string(objection_id), "ok",
                        summary_json({{"upheld", upheld ? "yes" : "no"}, {"level", level_text(change)},
                                      {"decision", decision}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return view_of(app, store, *o, true);
}

Result<int> open_objections(App& app, store::Store& store, int64_t cycle_id, int64_t school_id) {
  auto found = store.objections_of(cycle_id, school_id);
  if (!found) return tl::unexpected(found.error());
  const std::string today = china_today(app).iso();
  int n = 0;
  for (const auto& o : *found) n += is_open(o, today) ? 1 : 0;
  return n;
}

}  // namespace zizhu::app
