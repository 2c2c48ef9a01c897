#include "app/students.h"

#include <unordered_map>

#include "app/audit_log.h"
#include "app/errors.h"
#include "app/uploads.h"
#include "core/bank_card.h"
#include "core/masking.h"

namespace zizhu::app {

namespace {

// School names and codes by org id, read once per call.
struct SchoolNames {
  std::unordered_map<int64_t, std::pair<std::string, std::string>> by_id;  // code, name

  Result<void> load(store::Store& store, int64_t school_id) {
    if (by_id.contains(school_id)) return {};
    auto node = store.get_org_node(school_id);
    if (!node) return tl::unexpected(node.error());
    if (*node) {
      by_id.emplace(school_id, std::make_pair((*node)->code, (*node)->name));
    } else {
      by_id.emplace(school_id, std::make_pair(std::string(), std::string()));
    }
    return {};
  }
};

// The unmasked view: only from reveal_student, after its audit record.
StudentView revealed_view(const store::Student& s, const SchoolNames& schools) {
  const auto& d = s.data;
  StudentView v;
  v.id = s.id;
  v.student_no = d.student_no.plain();
  v.name = d.name;
  if (d.id_number) v.id_number = d.id_number->plain();
  if (d.gender) v.gender = *d.gender == store::Gender::kMale ? "男" : "女";
  if (d.birth_date) v.birth_date = d.birth_date->iso();
  const auto& school = schools.by_id.at(d.school_id);
  v.school_code = school.first;
  v.school_name = school.second;
  v.grade = d.grade;
  v.class_name = d.class_name;
  v.boarding = d.boarding;
  v.guardian_name = d.guardian_name;
  if (d.bank_card) v.bank_card = d.bank_card->plain();
  v.masked = false;
  return v;
}

// The masked view, from the masked forms the store keeps (no sealed value is
// opened). The birth date is part of the ID number: never shown masked.
StudentView masked_view(store::StudentListing&& s, const SchoolNames& schools) {
  StudentView v;
  v.id = s.id;
  v.student_no = std::move(s.student_no_masked);
  v.name = std::move(s.name);
  if (s.id_number_masked) v.id_number = std::move(*s.id_number_masked);
  if (s.gender) v.gender = *s.gender == store::Gender::kMale ? "男" : "女";
  const auto& school = schools.by_id.at(s.school_id);
  v.school_code = school.first;
  v.school_name = school.second;
  v.grade = s.grade;
  v.class_name = std::move(s.class_name);
  v.boarding = s.boarding;
  v.guardian_name = std::move(s.guardian_name);
  if (s.bank_card_masked) v.bank_card = std::move(*s.bank_card_masked);
  v.masked = true;
  return v;
}

// Whether the actor may see a student of this school: in the actor's
// subtree; NOT_FOUND otherwise, as for a student that does not exist.
Result<void> check_visible(store::Store& store, const Actor& actor, int64_t school_id) {
  auto node = store.get_org_node(school_id);
  if (!node) return tl::unexpected(node.error());
  if (!*node || !actor.in_scope((*node)->path)) return fail("NOT_FOUND", "学生不存在");
  return {};
}

// The student (every value opened) if the actor may see it.
Result<store::Student> visible_student(store::Store& store, const Actor& actor, int64_t student_id) {
  auto found = store.get_student(student_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail("NOT_FOUND", "学生不存在");
  if (auto ok = check_visible(store, actor, (*found)->data.school_id); !ok) return tl::unexpected(ok.error());
  return std::move(**found);
}

}  // namespace

Result<Page<StudentView>> list_students(App&, store::Store& store, const Actor& actor, const StudentQuery& query,
                                        const PageRequest& page) {
  store::StudentFilter filter;
  filter.school_code = query.school_code;
  filter.grade = query.grade;
  filter.class_name = query.class_name;
  filter.name_prefix = query.name_prefix;
  if (query.student_no) filter.student_no = store::SensitiveText(*query.student_no);
  auto found = store.students_page(actor.org_path, filter, page.offset(), page.page_size);
  if (!found) return tl::unexpected(found.error());
  Page<StudentView> out;
  out.total = found->total;
  SchoolNames schools;
  out.items.reserve(found->items.size());
  for (auto& s : found->items) {
    if (auto ok = schools.load(store, s.school_id); !ok) return tl::unexpected(ok.error());
    out.items.push_back(masked_view(std::move(s), schools));
  }
  return out;
}

Result<StudentView> get_student(App&, store::Store& store, const Actor& actor, int64_t student_id) {
  auto found = store.get_student_listing(student_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail("NOT_FOUND", "学生不存在");
  if (auto ok = check_visible(store, actor, (*found)->school_id); !ok) return tl::unexpected(ok.error());
  SchoolNames schools;
  if (auto ok = schools.load(store, (*found)->school_id); !ok) return tl::unexpected(ok.error());
  return masked_view(std::move(**found), schools);
}

Result<StudentView> reveal_student(App& app, store::Store& store, const Actor& actor, int64_t student_id,
                                   std::string_view reason) {
  if (reason.empty() || reason.size() > 500) {
    return field_error("BAD_VALUE", "查看未脱敏信息须填写事由（500 字节以内）", "reason");
  }
  // The reason goes into the audit log, which must never hold an ID number
  // or a card.
  if (auto ok = refuse_id_like_digits(reason, "reason"); !ok) return tl::unexpected(ok.error());
  auto s = visible_student(store, actor, student_id);
  if (!s) return tl::unexpected(s.error());
  SchoolNames schools;
  if (auto ok = schools.load(store, s->data.school_id); !ok) return tl::unexpected(ok.error());
  // Recorded before the values leave: no record, no reveal.
  if (auto ok = record(app, store, actor,
                       {"student.reveal", "student", std::to_string(student_id), "ok",
                        summary_json({{"reason", reason}, {"fields", "student_no,id_number,birth_date,bank_card"}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  return revealed_view(*s, schools);
}

Result<Page<StudentView>> guardian_children(App&, store::Store& store, const Actor& actor) {
  Page<StudentView> out;
  if (!actor.guardian_id) return out;
  auto found = store.students_of_guardian(*actor.guardian_id);
  if (!found) return tl::unexpected(found.error());
  SchoolNames schools;
  for (auto& s : *found) {
    if (auto ok = schools.load(store, s.school_id); !ok) return tl::unexpected(ok.error());
    out.items.push_back(masked_view(std::move(s), schools));
  }
  out.total = static_cast<int64_t>(out.items.size());
  return out;
}

Result<StudentView> change_bank_card(App& app, store::Store& store, const Actor& actor, int64_t student_id,
                                     std::string_view new_card, std::string_view reason) {
  if (!roles_grant(actor.roles, Permission::kStudentImport)) return fail("FORBIDDEN", "无权修改学生的银行卡号");
  // Cards are often copied in groups of four: the spaces are not part of it.
  std::string card;
  card.reserve(new_card.size());
  for (char ch : new_card) {
    if (ch != ' ') card.push_back(ch);
  }
  if (!bank_card_valid(card)) return field_error("BAD_VALUE", "银行卡号须为 12 至 19 位数字", "bank_card");
  if (reason.empty() || reason.size() > kBankCardReasonBytesMax) {
    return field_error("BAD_VALUE", "修改银行卡号须填写事由（500 字节以内）", "reason");
  }
  // The reason is kept in the change log and the audit log: no card in it.
  if (auto ok = refuse_id_like_digits(reason, "reason"); !ok) return tl::unexpected(ok.error());

  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  auto s = visible_student(store, actor, student_id);
  if (!s) return tl::unexpected(s.error());
  if (s->data.bank_card && s->data.bank_card->plain() == card) {
    return field_error("RULE", "新银行卡号与现有卡号相同，无需修改", "bank_card");
  }
  const std::string old_masked = s->data.bank_card ? mask_bank_card(s->data.bank_card->plain()) : std::string();
  const std::string new_masked = mask_bank_card(card);
  store::StudentInput changed = s->data;
  changed.bank_card = store::SensitiveText(card);
  auto done = store.upsert_student(changed);
  if (!done) return tl::unexpected(done.error());
  // upsert_student finds the student by 学籍号: it must be this one.
  if (done->id != student_id || done->outcome != store::Outcome::kUpdated) {
    return fail("INTERNAL", "银行卡号未能写入");
  }
  store::BankCardChange change;
  change.student_id = student_id;
  change.changed_at_ms = app.now_ms();
  change.changed_by = actor.user_id;
  change.old_masked = old_masked;
  change.new_masked = new_masked;
  change.reason = std::string(reason);
  if (auto logged = store.add_bank_card_change(change); !logged) return tl::unexpected(logged.error());
  if (auto ok = record(app, store, actor,
                       {"student.bank_card", "student", std::to_string(student_id), "ok",
                        summary_json({{"old", old_masked}, {"new", new_masked}, {"reason", reason}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto listing = store.get_student_listing(student_id);
  if (!listing) return tl::unexpected(listing.error());
  if (!*listing) return fail("NOT_FOUND", "学生不存在");
  SchoolNames schools;
  if (auto ok = schools.load(store, (*listing)->school_id); !ok) return tl::unexpected(ok.error());
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  return masked_view(std::move(**listing), schools);
}

Result<RosterImport> import_roster(App& app, store::Store& store, const Actor& actor, std::string_view content,
                                   const Date& reference_date) {
  const std::string kind = table_kind(content);
  if (kind.empty() || content.empty()) {
    return fail("NOT_A_ROSTER", "上传的文件不是 CSV 或 XLSX 格式的学籍名册");
  }
  auto upload = TempUpload::save(content, kind);
  if (!upload) return tl::unexpected(upload.error());
  store::StudentImportOptions options;
  options.reference_date = reference_date;
  options.scope_path = actor.org_path;
  options.now_ms = app.now_ms();
  options.user_id = actor.user_id;
  RosterImport result;
  auto summary = store::import_students(store, upload->path().string(), options, &result.rejects);
  if (!summary) return tl::unexpected(upload_error(summary.error(), "上传的名册", "NOT_A_ROSTER"));
  result.summary = *summary;
  for (auto& r : result.rejects) r.file = "上传的名册";
  if (auto ok = record(app, store, actor,
                       {"student.import", "school", actor.org_code, "ok",
                        summary_json({{"inserted", std::to_string(summary->inserted)},
                                      {"updated", std::to_string(summary->updated)},
                                      {"unchanged", std::to_string(summary->unchanged)},
                                      {"rejected", std::to_string(summary->rejected)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  return result;
}

}  // namespace zizhu::app
