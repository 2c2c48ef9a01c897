#include "app/feedback.h"

#include <algorithm>

#include "app/audit_log.h"
#include "app/auth.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "crypto/recovery_codes.h"

namespace zizhu::app {

namespace {

using store::FeedbackStatus;

bool in_path(std::string_view path, std::string_view prefix) { return path.substr(0, prefix.size()) == prefix; }

std::string_view status_label(FeedbackStatus s) {
  switch (s) {
    case FeedbackStatus::kOpen: return "待处理";
    case FeedbackStatus::kInProgress: return "处理中";
    case FeedbackStatus::kAnswered: return "已答复";
    case FeedbackStatus::kClosed: return "已关闭";
  }
  return "";
}

std::string_view channel_label(std::string_view channel) {
  if (channel == "guardian") return "监护人";
  if (channel == "public") return "公众";
  return "工作人员代录";
}

std::string_view kind_label(std::string_view kind) { return kind == "complaint" ? "投诉" : "意见建议"; }

bool waiting(FeedbackStatus s) { return s == FeedbackStatus::kOpen || s == FeedbackStatus::kInProgress; }

// The receipt code as a person types it, hashed: what the database keeps.
// The codes carry about 59 random bits (crypto/recovery_codes.h), so a
// keyless hash is enough; the prefix keeps them apart from other codes.
std::optional<std::string> receipt_hash(std::string_view typed) {
  const auto normalised = crypto::normalize_recovery_code(typed);
  if (!normalised) return std::nullopt;
  return token_hash("feedback:" + *normalised);
}

FeedbackView view_of(const store::Feedback& f, Date today) {
  FeedbackView v;
  v.id = f.id;
  v.county_code = f.county_code;
  v.county_name = f.county_name;
  v.school_code = f.school_code;
  v.school_name = f.school_name;
  v.student_id = f.student_id;
  v.student_name = f.student_name;
  v.channel = f.channel;
  v.channel_label = std::string(channel_label(f.channel));
  v.kind = f.kind;
  v.kind_label = std::string(kind_label(f.kind));
  v.text = f.text;
  v.contact_name = f.contact_name.value_or("");
  v.guardian_name = f.guardian_name;
  v.owner_username = f.owner_username;
  v.owner_name = f.owner_name;
  v.status = std::string(store::feedback_status_key(f.status));
  v.status_label = std::string(status_label(f.status));
  v.received_on = china_date(f.created_at_ms).iso();
  v.due_on = f.due_on.iso();
  v.overdue = waiting(f.status) && today > f.due_on;
  v.answer = f.answer.value_or("");
  v.answered_by_name = f.answered_by_name;
  v.answered_on = f.answered_at_ms ? china_date(*f.answered_at_ms).iso() : "";
  v.created_at_ms = f.created_at_ms;
  v.updated_at_ms = f.updated_at_ms;
  return v;
}

// Free text kept in the database (not in the audit log): bounded, and no
// ID-like digits (errors.h), which also keeps phone numbers out.
Result<void> check_text(std::string_view text, std::string_view field, size_t bytes_max, bool required) {
  if (required && text.empty()) return field_error("BAD_VALUE", "请填写内容", std::string(field));
  if (text.size() > bytes_max) {
    return field_error("BAD_VALUE", "不超过 " + std::to_string(bytes_max) + " 字节", std::string(field));
  }
  return refuse_id_like_digits(text, std::string(field));
}

Result<void> check_input(const FeedbackInput& in) {
  if (in.kind != "feedback" && in.kind != "complaint") {
    return field_error("BAD_VALUE", "类型须为 feedback（意见建议）或 complaint（投诉）", "kind");
  }
  if (auto ok = check_text(in.text, "text", kFeedbackTextBytesMax, true); !ok) return ok;
  if (in.contact_name) {
    if (auto ok = check_text(*in.contact_name, "contact_name", kContactNameBytesMax, false); !ok) return ok;
  }
  return {};
}

// Where an item belongs: its county and, optionally, its school.
struct Place {
  int64_t county_id = 0;
  std::optional<store::School> school;
  std::optional<int64_t> student_id;
};

Result<store::School> school_by_id(store::Store& store, int64_t school_id) {
  auto node = store.get_org_node(school_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node) return fail("NOT_FOUND", "学校不存在");
  auto school = store.find_school((*node)->code);
  if (!school) return tl::unexpected(school.error());
  if (!*school) return fail("NOT_FOUND", "学校不存在");
  return std::move(**school);
}

// Stores a new item with a fresh receipt code and records it. `recorded_as`
// is who the audit record names (for the public: the item's own node, so
// that the county's auditor sees it).
Result<FeedbackReceipt> create(App& app, store::Store& store, const Actor& recorded_as, const FeedbackInput& in,
                               const Place& place, std::string_view channel) {
  const Date today = china_today(app);
  const int64_t now = app.now_ms();
  const std::string code = crypto::make_recovery_codes(1).front();
  const auto hash = receipt_hash(code);
  if (!hash) return fail("INTERNAL", "回执码生成失败");
  store::Feedback f;
  f.county_id = place.county_id;
  if (place.school) f.school_id = place.school->org_id;
  f.student_id = place.student_id;
  f.channel = std::string(channel);
  f.kind = in.kind;
  f.text = in.text;
  if (in.contact_name && !in.contact_name->empty()) f.contact_name = in.contact_name;
  f.receipt_hash = *hash;
  if (channel == "guardian") f.guardian_user_id = recorded_as.user_id;
  f.status = FeedbackStatus::kOpen;
  f.due_on = app.calendar().add_working_days(today, kFeedbackAnswerWorkingDays);
  f.created_at_ms = now;
  f.updated_at_ms = now;

  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto id = store.add_feedback(f);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = record(app, store, recorded_as,
                       {"feedback.submit", "feedback", std::to_string(*id), "ok",
                        summary_json({{"channel", channel},
                                      {"kind", in.kind},
                                      {"school", place.school ? place.school->school_code : ""},
                                      {"due_on", f.due_on.iso()}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  auto saved = store.get_feedback(*id);
  if (!saved) return tl::unexpected(saved.error());
  if (!*saved) return fail("INTERNAL", "意见反馈保存后未找到");
  return FeedbackReceipt{view_of(**saved, today), code};
}

// The item if the actor may handle it: its school (or, without one, its
// county) in the actor's scope; NOT_FOUND otherwise, as for one that does
// not exist.
Result<store::Feedback> visible_item(store::Store& store, const Actor& actor, int64_t feedback_id) {
  auto f = store.get_feedback(feedback_id);
  if (!f) return tl::unexpected(f.error());
  if (!*f || actor.org_path.empty() || !actor.in_scope((*f)->scope_path())) {
    return fail("NOT_FOUND", "意见反馈不存在");
  }
  return std::move(**f);
}

// Writes the item's new owner, status and answer (from `from`), records the
// action and commits; the item as it is now.
Result<FeedbackView> save(App& app, store::Store& store, store::Transaction& tx, const Actor& actor,
                          store::Feedback& f, FeedbackStatus from, std::string_view action,
                          std::initializer_list<std::pair<std::string_view, std::string_view>> summary) {
  f.updated_at_ms = app.now_ms();
  if (auto ok = store.update_feedback(f, from); !ok) return tl::unexpected(ok.error());
  if (auto ok = record(app, store, actor, {std::string(action), "feedback", std::to_string(f.id), "ok",
                                           summary_json(summary)});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx.commit(); !ok) return tl::unexpected(ok.error());
  auto saved = store.get_feedback(f.id);
  if (!saved) return tl::unexpected(saved.error());
  if (!*saved) return fail("INTERNAL", "意见反馈保存后未找到");
  return view_of(**saved, china_today(app));
}

Result<void> require_waiting(const store::Feedback& f, std::string_view doing) {
  if (waiting(f.status)) return {};
  return fail("STATE_CONFLICT", "该事项" + std::string(status_label(f.status)) + "，不能" + std::string(doing));
}

std::optional<int64_t> user_of(const Actor& actor) {
  return actor.user_id != 0 ? std::optional<int64_t>(actor.user_id) : std::nullopt;
}

}  // namespace

Result<FeedbackReceipt> submit_guardian_feedback(App& app, store::Store& store, const Actor& actor,
                                                 const FeedbackInput& in) {
  if (!actor.guardian_id) return fail("FORBIDDEN", "仅监护人账号可使用");
  if (auto ok = check_input(in); !ok) return tl::unexpected(ok.error());
  Place place;
  if (in.student_id) {
    auto s = store.get_student_listing(*in.student_id);
    if (!s) return tl::unexpected(s.error());
    if (!*s || (*s)->guardian_id != actor.guardian_id) return field_error("NOT_FOUND", "学生不存在", "student_id");
    auto school = school_by_id(store, (*s)->school_id);
    if (!school) return tl::unexpected(school.error());
    place.student_id = *in.student_id;
    place.school = std::move(*school);
  } else if (in.school_code) {
    // A school one of the guardian's children attends.
    auto children = store.students_of_guardian(*actor.guardian_id);
    if (!children) return tl::unexpected(children.error());
    auto school = store.find_school(*in.school_code);
    if (!school) return tl::unexpected(school.error());
    const bool theirs =
        *school && std::any_of(children->begin(), children->end(),
                               [&](const store::StudentListing& c) { return c.school_id == (*school)->org_id; });
    if (!theirs) return field_error("NOT_FOUND", "学校不存在", "school_code");
    place.school = std::move(**school);
  } else if (actor.org_kind == store::OrgKind::kSchool) {
    // About the county in general: the county of the account's school.
    auto school = store.find_school(actor.org_code);
    if (!school) return tl::unexpected(school.error());
    if (!*school) return fail("NOT_FOUND", "学校不存在");
    place.county_id = (*school)->county_id;
  } else if (actor.org_kind == store::OrgKind::kCounty) {
    place.county_id = actor.org_id;
  } else {
    return field_error("BAD_VALUE", "请选择子女或学校", "school_code");
  }
  if (place.school) place.county_id = place.school->county_id;
  return create(app, store, actor, in, place, "guardian");
}

Result<FeedbackReceipt> submit_public_feedback(App& app, store::Store& store, const Actor& actor,
                                               const FeedbackInput& in) {
  if (auto ok = check_input(in); !ok) return tl::unexpected(ok.error());
  if (!in.county_code || in.county_code->empty()) return field_error("BAD_VALUE", "请选择区县", "county_code");
  auto county = store.find_org_node(*in.county_code);
  if (!county) return tl::unexpected(county.error());
  if (!*county || (*county)->kind != store::OrgKind::kCounty) {
    return field_error("NOT_FOUND", "区县不存在", "county_code");
  }
  Place place;
  place.county_id = (*county)->id;
  if (in.school_code) {
    auto school = store.find_school(*in.school_code);
    if (!school) return tl::unexpected(school.error());
    if (!*school || (*school)->county_id != place.county_id) {
      return field_error("NOT_FOUND", "该区县没有此学校", "school_code");
    }
    place.school = std::move(**school);
  }
  // No user: the audit record names the item's node, so that the county's
  // auditor finds it under the county.
  Actor recorded_as = actor;
  recorded_as.org_id = place.school ? place.school->org_id : (*county)->id;
  recorded_as.org_path = place.school ? place.school->path : (*county)->path;
  return create(app, store, recorded_as, in, place, "public");
}

Result<FeedbackReceipt> submit_staff_feedback(App& app, store::Store& store, const Actor& actor,
                                              const FeedbackInput& in) {
  if (auto ok = check_input(in); !ok) return tl::unexpected(ok.error());
  Place place;
  if (in.student_id) {
    auto s = store.get_student_listing(*in.student_id);
    if (!s) return tl::unexpected(s.error());
    if (!*s) return field_error("NOT_FOUND", "学生不存在", "student_id");
    auto school = school_by_id(store, (*s)->school_id);
    if (!school) return tl::unexpected(school.error());
    if (!actor.in_scope(school->path)) return field_error("NOT_FOUND", "学生不存在", "student_id");
    place.student_id = *in.student_id;
    place.school = std::move(*school);
  } else if (in.school_code || actor.org_kind == store::OrgKind::kSchool) {
    auto school = store.find_school(in.school_code.value_or(actor.org_code));
    if (!school) return tl::unexpected(school.error());
    if (!*school || !actor.in_scope((*school)->path)) return field_error("NOT_FOUND", "学校不存在", "school_code");
    place.school = std::move(**school);
  } else if (actor.org_kind == store::OrgKind::kCounty) {
    place.county_id = actor.org_id;
  } else {
    return field_error("BAD_VALUE", "请指定学校", "school_code");
  }
  if (place.school) place.county_id = place.school->county_id;
  return create(app, store, actor, in, place, "staff");
}

Result<PublicFeedbackStatus> public_feedback_status(App&, store::Store& store, std::string_view receipt_code) {
  const auto hash = receipt_hash(receipt_code);
  if (!hash) return fail("NOT_FOUND", "回执码不存在");
  auto f = store.find_feedback_by_receipt(*hash);
  if (!f) return tl::unexpected(f.error());
  if (!*f) return fail("NOT_FOUND", "回执码不存在");
  PublicFeedbackStatus p;
  p.status = std::string(store::feedback_status_key((*f)->status));
  p.status_label = std::string(status_label((*f)->status));
  p.received_on = china_date((*f)->created_at_ms).iso();
  p.due_on = (*f)->due_on.iso();
  p.answer = (*f)->answer.value_or("");
  p.answered_on = (*f)->answered_at_ms ? china_date(*(*f)->answered_at_ms).iso() : "";
  return p;
}

Result<Page<FeedbackView>> list_feedback(App& app, store::Store& store, const Actor& actor,
                                         const FeedbackQuery& query, const PageRequest& page) {
  store::FeedbackFilter filter;
  const Date today = china_today(app);
  if (query.status) {
    filter.status = store::parse_feedback_status(*query.status);
    if (!filter.status) return field_error("BAD_VALUE", "status 须为 OPEN、IN_PROGRESS、ANSWERED 或 CLOSED", "status");
  }
  if (query.kind) {
    if (*query.kind != "feedback" && *query.kind != "complaint") {
      return field_error("BAD_VALUE", "kind 须为 feedback 或 complaint", "kind");
    }
    filter.kind = query.kind;
  }
  if (query.overdue) filter.due_before = today;
  if (query.school_code) {
    auto school = store.find_school(*query.school_code);
    if (!school) return tl::unexpected(school.error());
    if (!*school || !actor.in_scope((*school)->path)) return field_error("NOT_FOUND", "学校不存在", "school_code");
    filter.school_id = (*school)->org_id;
  }
  Page<FeedbackView> out;
  if (actor.org_path.empty()) return out;
  auto found = store.feedback_page(actor.org_path, filter, page.offset(), page.page_size);
  if (!found) return tl::unexpected(found.error());
  out.total = found->total;
  for (const auto& f : found->items) out.items.push_back(view_of(f, today));
  return out;
}

Result<FeedbackView> get_feedback(App& app, store::Store& store, const Actor& actor, int64_t feedback_id) {
  auto f = visible_item(store, actor, feedback_id);
  if (!f) return tl::unexpected(f.error());
  return view_of(*f, china_today(app));
}

Result<FeedbackView> assign_feedback(App& app, store::Store& store, const Actor& actor, int64_t feedback_id,
                                     std::string_view owner_username) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto f = visible_item(store, actor, feedback_id);
  if (!f) return tl::unexpected(f.error());
  if (auto ok = require_waiting(*f, "指派负责人"); !ok) return tl::unexpected(ok.error());
  auto user = store.find_user_by_username(owner_username);
  if (!user) return tl::unexpected(user.error());
  bool may_manage = false;
  if (*user) {
    for (const auto& key : (*user)->roles) {
      const auto role = parse_role(key);
      if (role && role_grants(*role, Permission::kFeedbackManage)) may_manage = true;
    }
  }
  // The owner can see and answer the item, and is of the actor's own
  // subtree: a school assigns within the school, the county within the county.
  if (!*user || (*user)->disabled || !may_manage || !actor.in_scope((*user)->org_path) ||
      !in_path(f->scope_path(), (*user)->org_path)) {
    return field_error("BAD_VALUE", "不是可负责此事项的本机构账号：" + std::string(owner_username), "owner_username");
  }
  const FeedbackStatus from = f->status;
  f->owner_user_id = (*user)->id;
  f->status = FeedbackStatus::kInProgress;
  return save(app, store, *tx, actor, *f, from, "feedback.assign",
              {{"owner", (*user)->username}, {"from", store::feedback_status_key(from)}});
}

Result<FeedbackView> answer_feedback(App& app, store::Store& store, const Actor& actor, int64_t feedback_id,
                                     std::string_view answer) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto f = visible_item(store, actor, feedback_id);
  if (!f) return tl::unexpected(f.error());
  if (auto ok = require_waiting(*f, "答复"); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_text(answer, "answer", kFeedbackAnswerBytesMax, true); !ok) return tl::unexpected(ok.error());
  const FeedbackStatus from = f->status;
  const Date today = china_today(app);
  if (!f->owner_user_id) f->owner_user_id = user_of(actor);
  f->status = FeedbackStatus::kAnswered;
  f->answer = std::string(answer);
  f->answered_by = user_of(actor);
  f->answered_at_ms = app.now_ms();
  const bool late = today > f->due_on;
  return save(app, store, *tx, actor, *f, from, "feedback.answer",
              {{"from", store::feedback_status_key(from)}, {"late", late ? "true" : "false"}});
}

Result<FeedbackView> close_feedback(App& app, store::Store& store, const Actor& actor, int64_t feedback_id) {
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto f = visible_item(store, actor, feedback_id);
  if (!f) return tl::unexpected(f.error());
  if (f->status != FeedbackStatus::kAnswered) {
    return fail("STATE_CONFLICT", f->status == FeedbackStatus::kClosed ? "该事项已关闭" : "须先答复，再关闭");
  }
  f->status = FeedbackStatus::kClosed;
  return save(app, store, *tx, actor, *f, FeedbackStatus::kAnswered, "feedback.close", {});
}

Result<std::vector<FeedbackView>> guardian_feedback(App& app, store::Store& store, const Actor& actor) {
  std::vector<FeedbackView> out;
  if (!actor.guardian_id || actor.user_id == 0) return out;
  auto found = store.feedback_of_guardian(actor.user_id, kGuardianFeedbackMax);
  if (!found) return tl::unexpected(found.error());
  const Date today = china_today(app);
  for (const auto& f : *found) out.push_back(view_of(f, today));
  return out;
}

}  // namespace zizhu::app
