#include "app/demo_cycle.h"

#include "app/applications.h"
#include "app/cycles.h"
#include "app/dept_lists.h"
#include "app/evidence.h"
#include "app/feedback.h"
#include "app/notices.h"

#include <tuple>

namespace zizhu::app {

namespace {

// The school year a date falls in: from September on, the year that starts.
std::string school_year_of(Date d) {
  const Ymd ymd = d.ymd();
  const int first = ymd.month >= 9 ? ymd.year : ymd.year - 1;
  return std::to_string(first) + "-" + std::to_string(first + 1);
}

// A 民政局 list naming some students of the schools given (their own IDs),
// with two rows the import rejects.
Result<std::string> demo_list_csv(store::Store& store, const std::vector<const store::School*>& schools) {
  static constexpr std::string_view kCategories[] = {"DIBAO", "POVERTY", "DISABLED", "DESTITUTE", "ORPHAN"};
  std::string csv = "身份证号,姓名,类别,有效期起,有效期止,来源部门\n";
  size_t n = 0;
  for (const store::School* school : schools) {
    store::StudentFilter f;
    f.school_code = school->school_code;
    auto page = store.students_page(school->path, f, 0, 60);
    if (!page) return tl::unexpected(page.error());
    for (size_t i = 0; i < page->items.size(); i += 3) {
      auto s = store.get_student(page->items[i].id);
      if (!s) return tl::unexpected(s.error());
      if (!*s || !(*s)->data.id_number) continue;
      const std::string_view category = kCategories[n++ % std::size(kCategories)];
      csv += (*s)->data.id_number->plain() + "," + (*s)->data.name + "," + std::string(category) + ",2026-01-01,";
      csv += (n % 7 == 0 ? "2026-06-30" : "") + std::string(",") + (category == "DISABLED" ? "残联" : "") + "\n";
    }
  }
  csv += "620102201501011234,错号,DIBAO,,,\n";        // fails the check digit: BAD_ID
  csv += "11010120150101101X,外区,UNKNOWN_KIND,,,\n";  // not a category of the policy
  return csv;
}

// A one-page PDF that says it is a demo document: what a scanned 低保证
// would be, without anyone's data. Offsets computed as written.
std::string demo_pdf(std::string_view text) {
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  const std::string stream = "BT /F1 24 Tf 72 760 Td (" + std::string(text) + ") Tj ET\n";
  const std::string objects[] = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
      " /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "endstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  for (size_t i = 0; i < std::size(objects); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    std::string n = std::to_string(off);
    pdf += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace

Actor actor_at(const store::OrgNode& node, int64_t user_id, std::string_view who) {
  Actor a = system_actor(who);
  a.user_id = user_id;
  a.org_id = node.id;
  a.org_kind = node.kind;
  a.org_code = node.code;
  a.org_name = node.name;
  a.org_path = node.path;
  return a;
}

Result<store::OrgNode> node_of(store::Store& store, int64_t id) {
  auto node = store.get_org_node(id);
  if (!node) return tl::unexpected(node.error());
  if (!*node) return fail("DEMO", "演示机构缺失");
  return **node;
}

// An open cycle for the county: default policy, dates from two weeks ago to
// two weeks ahead, every school's budget from its size (about 15 % of the
// students at the middle level's 1,500 yuan).
Result<int64_t> open_demo_cycle(App& app, store::Store& store, const Actor& county) {
  const Date today = china_today(app);
  auto cycle = create_cycle(app, store, county, school_year_of(today), "");
  if (!cycle) return tl::unexpected(cycle.error());
  if (auto ok = set_dates(app, store, county, cycle->id, today.plus_days(-14), today.plus_days(14)); !ok) {
    return tl::unexpected(ok.error());
  }
  auto schools = store.schools_under(county.org_path);
  if (!schools) return tl::unexpected(schools.error());
  std::vector<BudgetInput> budgets;
  for (const auto& s : *schools) {
    store::StudentFilter one;
    one.school_code = s.school_code;
    auto page = store.students_page(s.path, one, 0, 0);
    if (!page) return tl::unexpected(page.error());
    budgets.push_back({s.school_code, page->total * 15 / 100 * 150'000});
  }
  if (auto ok = set_budgets(app, store, county, cycle->id, budgets); !ok) return tl::unexpected(ok.error());
  if (auto ok = open_cycle(app, store, county, cycle->id); !ok) return tl::unexpected(ok.error());
  return cycle->id;
}

namespace {

// Feedback (意见反馈, followups-feedback.md): the guardian's item about the
// first child (the own school), a public complaint about the county's second
// school (its receipt code kept for the tour and the tests), a public item in
// the other county. Separate from the cycle above: it needs none of it.
Result<void> add_demo_feedback(App& app, store::Store& store, const DemoPlaces& p, DemoObjects& o) {
  auto own_node = node_of(store, p.own.org_id);
  if (!own_node) return tl::unexpected(own_node.error());
  Actor guardian = actor_at(*own_node, p.guardian_user_id, "demo");
  guardian.guardian_id = p.guardian_id;
  auto children = store.students_of_guardian(p.guardian_id);
  if (!children) return tl::unexpected(children.error());
  FeedbackInput mine;
  mine.kind = "feedback";
  mine.text = "希望学校在资助金发放后告知家长到账时间（演示）。";
  for (const auto& child : *children) {
    if (child.school_id == p.own.org_id) mine.student_id = child.id;
  }
  if (!mine.student_id) return fail("DEMO", "演示监护人没有在本校的子女");
  auto own = submit_guardian_feedback(app, store, guardian, mine);
  if (!own) return tl::unexpected(own.error());
  o.feedback_own = own->item.id;

  Actor anyone;
  anyone.username = "anonymous";
  anyone.ip = "demo";
  FeedbackInput complaint;
  complaint.kind = "complaint";
  complaint.text = "学校资助公示张贴的位置不显眼，建议放在校门口公告栏（演示）。";
  complaint.county_code = p.county.code;
  complaint.school_code = p.second.school_code;
  auto second = submit_public_feedback(app, store, anyone, complaint);
  if (!second) return tl::unexpected(second.error());
  o.feedback_other_school = second->item.id;
  o.feedback_receipt = second->receipt_code;
  FeedbackInput far;
  far.kind = "feedback";
  far.text = "希望区县资助中心公布咨询窗口的办公时间（演示）。";
  far.county_code = p.other_county.code;
  auto other = submit_public_feedback(app, store, anyone, far);
  if (!other) return tl::unexpected(other.error());
  o.feedback_other_county = other->item.id;
  return {};
}

}  // namespace

Result<void> add_demo_cycles(App& app, store::Store& store, const DemoPlaces& p, DemoObjects& o) {
  const Actor county = actor_at(p.county, p.county_officer_user_id, "demo");
  const Actor other_county = actor_at(p.other_county, 0, "demo");
  auto cycle = open_demo_cycle(app, store, county);
  if (!cycle) return tl::unexpected(cycle.error());
  auto other_cycle = open_demo_cycle(app, store, other_county);
  if (!other_cycle) return tl::unexpected(other_cycle.error());
  o.cycle_own = *cycle;
  o.cycle_other_county = *other_cycle;
  // 提前告知: each county's notice of the year's aid.
  for (auto [at, out] : {std::pair{&county, &o.notice_own}, std::pair{&other_county, &o.notice_other_county}}) {
    auto notice = publish_notice(
        app, store, *at, at->org_name + "义务教育家庭经济困难学生资助申请通知（演示）",
        "本学年义务教育阶段家庭经济困难学生资助工作现已开始。监护人可通过资助系统为子女提出申请，"
        "也可到学校资助办由资助专干代为填报。属于低保、特困、孤儿、残疾等情形的学生由学校直接认定，无需申请。"
        "学校评审结果将公示五个工作日，期间可提出异议。");
    if (!notice) return tl::unexpected(notice.error());
    *out = notice->id;
  }

  auto csv = demo_list_csv(store, {&p.own, &p.second});
  if (!csv) return tl::unexpected(csv.error());
  if (auto ok = import_dept_list(app, store, county, *cycle, *csv, "民政局"); !ok) return tl::unexpected(ok.error());

  // The guardian applies from the portal for the first child.
  auto own_node = node_of(store, p.own.org_id);
  if (!own_node) return tl::unexpected(own_node.error());
  Actor guardian = actor_at(*own_node, p.guardian_user_id, "demo");
  guardian.guardian_id = p.guardian_id;
  auto children = store.students_of_guardian(p.guardian_id);
  if (!children) return tl::unexpected(children.error());
  if (children->empty()) return fail("DEMO", "演示监护人没有子女");
  FamilyInput family;
  family.household_size = 4;
  family.household_income_fen = 1'860'000;
  family.claimed_categories = {"DIBAO"};
  family.single_parent = true;
  family.siblings_in_school = static_cast<int64_t>(children->size());
  auto mine = submit_application(app, store, guardian, *cycle, (*children)[0].id, family);
  if (!mine) return tl::unexpected(mine.error());
  o.application_own = mine->id;
  auto proof = add_evidence(app, store, guardian, mine->id, demo_pdf("DEMO: DIBAO CERTIFICATE"), "低保证（演示）");
  if (!proof) return tl::unexpected(proof.error());
  o.evidence_own = proof->id;

  // The school officers enter applications for families without a phone.
  auto enter = [&](const store::School& school, int64_t user_id, uint32_t count) -> Result<int64_t> {
    auto node = node_of(store, school.org_id);
    if (!node) return tl::unexpected(node.error());
    const Actor officer = actor_at(*node, user_id, "demo");
    store::StudentFilter f;
    f.school_code = school.school_code;
    auto page = store.students_page(node->path, f, 0, 40);
    if (!page) return tl::unexpected(page.error());
    int64_t first = 0;
    uint32_t made = 0;
    for (size_t i = 1; i < page->items.size() && made < count; i += 2) {
      FamilyInput f2;
      f2.household_size = 3 + static_cast<int64_t>(i % 4);
      f2.household_income_fen = 900'000 + static_cast<int64_t>(i) * 137'000;
      if (i % 3 == 0) f2.serious_illness = true;
      if (i % 5 == 0) f2.claimed_categories = {"DISABLED"};
      const int64_t in_cycle = school.county_id == p.county.id ? *cycle : *other_cycle;
      auto a = submit_application(app, store, officer, in_cycle, page->items[i].id, f2);
      if (!a) {
        if (a.error().code == "CONFLICT") continue;  // the guardian's child, already applied
        return tl::unexpected(a.error());
      }
      if (first == 0) first = a->id;
      ++made;
    }
    if (first == 0) return fail("DEMO", "演示申请未能创建");
    return first;
  };
  if (auto a = enter(p.own, p.school_officer_user_id, 8); !a) return tl::unexpected(a.error());
  auto second = enter(p.second, 0, 3);
  if (!second) return tl::unexpected(second.error());
  o.application_other_school = *second;
  auto far = enter(p.far, 0, 3);
  if (!far) return tl::unexpected(far.error());
  o.application_other_county = *far;
  // Evidence on those too, entered by their schools.
  for (auto [school, application, out] : {std::tuple{&p.second, *second, &o.evidence_other_school},
                                          std::tuple{&p.far, *far, &o.evidence_other_county}}) {
    auto node = node_of(store, school->org_id);
    if (!node) return tl::unexpected(node.error());
    auto e = add_evidence(app, store, actor_at(*node, 0, "demo"), application, demo_pdf("DEMO: DISABILITY CARD"),
                          "残疾证（演示）");
    if (!e) return tl::unexpected(e.error());
    *out = e->id;
  }
  return add_demo_feedback(app, store, p, o);
}

}  // namespace zizhu::app
