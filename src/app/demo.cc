#include "app/demo.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "app/demo_cycle.h"
#include "app/demo_year.h"
#include "app/users.h"
#include "crypto/base32.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "gen/province_gen.h"
#include "store/import_schools.h"
#include "store/import_students.h"

namespace zizhu::app {

namespace {

constexpr uint32_t kMainCounty = 620102;   // 甘肃省兰州市城关区
constexpr uint32_t kOtherCounty = 620103;  // 甘肃省兰州市七里河区
constexpr std::string_view kTotpContext = "app_user.totp_secret";

std::span<const uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Result<void> generate_and_import(store::Store& store, uint64_t students, uint32_t schools, uint32_t county,
                                 uint64_t seed, const std::filesystem::path& dir) {
  gen::GenOptions g;
  g.students = students;
  g.seed = seed;
  g.out_dir = dir.string();
  g.dirty_percent = 0;
  g.students_per_school = static_cast<uint32_t>((students + schools - 1) / std::max<uint32_t>(1, schools));
  g.counties = {county};
  auto made = gen::generate_province(g);
  if (!made) return tl::unexpected(made.error());
  auto s = store::import_schools(store, (dir / "schools.csv").string(), "");
  if (!s) return tl::unexpected(s.error());
  store::StudentImportOptions o;
  o.reference_date = *Date::from_ymd(2026, 9, 1);
  auto st = store::import_students(store, (dir / "students.csv").string(), o);
  if (!st) return tl::unexpected(st.error());
  if (st->rejected != 0) {
    return fail("DEMO", "生成的演示名册有 " + std::to_string(st->rejected) + " 行未通过校验");
  }
  return {};
}

struct UserPlan {
  std::string key;
  std::string username;
  std::string display_name;
  std::string org_code;
  std::vector<std::string> roles;
  std::optional<int64_t> guardian_id;
};

}  // namespace

Result<DemoResult> create_demo(App& app, const DemoOptions& options) {
  auto lease = app.store();
  if (!lease) return tl::unexpected(lease.error());
  store::Store& store = **lease;
  auto users_now = store.count_users();
  if (!users_now) return tl::unexpected(users_now.error());
  if (*users_now > 0) return fail("STATE_CONFLICT", "数据库中已有用户，不再创建演示数据");

  std::filesystem::path work = options.work_dir.empty()
                                   ? std::filesystem::temp_directory_path() / ("zizhu-demo-" + crypto::random_token(8))
                                   : std::filesystem::path(options.work_dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);  // the generated files hold plain IDs
    }
  } cleanup{work};
  if (auto ok = generate_and_import(store, options.students, options.schools, kMainCounty, options.seed, work / "main");
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = generate_and_import(store, options.other_county_students, 2, kOtherCounty, options.seed + 1,
                                    work / "other");
      !ok) {
    return tl::unexpected(ok.error());
  }

  DemoResult demo;
  demo.county_code = std::to_string(kMainCounty);
  demo.other_county_code = std::to_string(kOtherCounty);
  auto county = store.find_org_node(demo.county_code);
  auto other = store.find_org_node(demo.other_county_code);
  if (!county || !*county || !other || !*other) return fail("DEMO", "演示区县未导入");
  demo.county_name = (*county)->name;
  auto schools = store.schools_under((*county)->path);
  auto other_schools = store.schools_under((*other)->path);
  if (!schools || schools->size() < 2 || !other_schools || other_schools->empty()) {
    return fail("DEMO", "演示学校不足");
  }
  demo.schools = static_cast<int64_t>(schools->size() + other_schools->size());
  auto count = store.count_students();
  if (!count) return tl::unexpected(count.error());
  demo.students = *count;
  const store::School& own = (*schools)[0];
  const store::School& second = (*schools)[1];
  const store::School& far = (*other_schools)[0];
  DemoObjects& o = demo.objects;
  o.school_own = own.school_code;
  o.school_other = second.school_code;
  o.school_other_county = far.school_code;

  auto first_students = [&](const store::School& s) -> Result<std::vector<store::StudentListing>> {
    store::StudentFilter f;
    f.school_code = s.school_code;
    auto page = store.students_page(s.path, f, 0, 50);
    if (!page) return tl::unexpected(page.error());
    return page->items;
  };
  auto own_students = first_students(own);
  auto second_students = first_students(second);
  auto far_students = first_students(far);
  if (!own_students || own_students->empty() || !second_students || second_students->empty() || !far_students ||
      far_students->empty()) {
    return fail("DEMO", "演示学生不足");
  }
  o.student_own = (*own_students)[0].id;
  o.student_other_school = (*second_students)[0].id;
  o.student_other_county = (*far_students)[0].id;
  std::optional<int64_t> guardian;
  for (const auto& s : *own_students) {
    if (s.guardian_id) {
      guardian = s.guardian_id;
      break;
    }
  }
  if (!guardian) return fail("DEMO", "演示学校没有登记监护人身份证号的学生");

  const std::vector<UserPlan> plans = {
      {"sysadmin", "admin", "系统管理员（演示）", demo.county_code, {"sysadmin"}, {}},
      {"auditor", "auditor", "安全审计员（演示）", demo.county_code, {"auditor"}, {}},
      {"county_officer", "county", "区县资助专干（演示）", demo.county_code, {"county_officer"}, {}},
      {"finance", "finance", "财务（演示）", demo.county_code, {"finance"}, {}},
      {"school_officer", "school", own.name + "资助专干", own.school_code, {"school_officer"}, {}},
      {"reviewer", "reviewer", own.name + "评审小组成员", own.school_code, {"reviewer"}, {}},
      {"reviewer2", "reviewer2", own.name + "评审小组成员二", own.school_code, {"reviewer"}, {}},
      {"reviewer3", "reviewer3", own.name + "评审小组成员三", own.school_code, {"reviewer"}, {}},
      {"guardian", "parent", "监护人（演示）", own.school_code, {"guardian"}, guardian},
      {"county_officer@other", "county2", (*other)->name + "资助专干", demo.other_county_code, {"county_officer"}, {}},
      {"school_officer@other", "school2", far.name + "资助专干", far.school_code, {"school_officer"}, {}},
      {"reviewer@other", "reviewer4", far.name + "评审小组成员", far.school_code, {"reviewer"}, {}},
      {"reviewer2@other", "reviewer5", far.name + "评审小组成员二", far.school_code, {"reviewer"}, {}},
      {"reviewer3@other", "reviewer6", far.name + "评审小组成员三", far.school_code, {"reviewer"}, {}},
  };
  Actor system = system_actor("demo");
  for (const UserPlan& p : plans) {
    NewUser n;
    n.username = p.username;
    n.display_name = p.display_name;
    n.org_code = p.org_code;
    n.roles = p.roles;
    n.guardian_id = p.guardian_id;
    n.password = make_temporary_password();
    n.must_change_password = !options.skip_first_change;
    auto created = create_user(app, store, system, n);
    if (!created) return tl::unexpected(created.error());
    DemoUser u;
    u.key = p.key;
    u.id = created->user.id;
    u.username = p.username;
    u.password = *n.password;
    u.display_name = p.display_name;
    u.org_code = p.org_code;
    u.roles = p.roles;
    RoleSet roles;
    for (const auto& r : p.roles) roles.add(*parse_role(r));
    if (needs_second_factor(roles)) {
      const std::string secret = crypto::make_totp_secret();
      if (auto ok = store.set_totp(u.id, app.sealer().seal(kTotpContext, secret), true); !ok) {
        return tl::unexpected(ok.error());
      }
      u.totp_secret = crypto::base32_encode(bytes(secret));
    }
    demo.users.push_back(std::move(u));
  }
  auto user_id = [&](std::string_view key) {
    for (const auto& u : demo.users) {
      if (u.key == key) return u.id;
    }
    return int64_t{0};
  };
  o.user_victim = user_id("reviewer2");
  o.user_other_county = user_id("school_officer@other");
  auto children = store.students_of_guardian(*guardian);
  if (!children) return tl::unexpected(children.error());
  for (const auto& s : *children) o.guardian_children.push_back(s.id);

  // One API token per county, as another department's system would hold.
  Actor at_county = system;
  at_county.org_id = (*county)->id;
  at_county.org_path = (*county)->path;
  at_county.org_code = (*county)->code;
  auto token = create_api_token(app, store, at_county, {"民政局低保数据对接（演示）", {"student.read"}, 365});
  if (!token) return tl::unexpected(token.error());
  o.api_token_own = token->token.id;
  Actor at_other = system;
  at_other.org_id = (*other)->id;
  at_other.org_path = (*other)->path;
  at_other.org_code = (*other)->code;
  auto token2 = create_api_token(app, store, at_other, {"七里河区数据对接（演示）", {"student.read"}, 365});
  if (!token2) return tl::unexpected(token2.error());
  o.api_token_other_county = token2->token.id;

  DemoPlaces places{**county, **other, own, second, far, *guardian, user_id("guardian"), user_id("county_officer"),
                    user_id("school_officer")};
  if (auto ok = add_demo_cycles(app, store, places, o); !ok) return tl::unexpected(ok.error());
  DemoYearPeople people;
  people.school_officer_own = user_id("school_officer");
  people.school_officer_far = user_id("school_officer@other");
  people.county_officer_far = user_id("county_officer@other");
  const char* const own_reviewers[3] = {"reviewer", "reviewer2", "reviewer3"};
  const char* const far_reviewers[3] = {"reviewer@other", "reviewer2@other", "reviewer3@other"};
  for (size_t i = 0; i < 3; ++i) {
    people.reviewers_own[i] = user_id(own_reviewers[i]);
    people.reviewers_far[i] = user_id(far_reviewers[i]);
  }
  if (auto ok = add_demo_later_stages(app, store, places, people, o); !ok) return tl::unexpected(ok.error());
  return demo;
}

std::string demo_credentials_json(const DemoResult& demo) {
  boost::json::object root;
  root["county_code"] = demo.county_code;
  root["county_name"] = demo.county_name;
  root["other_county_code"] = demo.other_county_code;
  boost::json::array users;
  for (const auto& u : demo.users) {
    boost::json::object x;
    x["key"] = u.key;
    x["id"] = u.id;
    x["username"] = u.username;
    x["password"] = u.password;
    x["display_name"] = u.display_name;
    x["org_code"] = u.org_code;
    boost::json::array roles;
    for (const auto& r : u.roles) roles.emplace_back(r);
    x["roles"] = std::move(roles);
    if (!u.totp_secret.empty()) {
      x["totp_secret"] = u.totp_secret;
    } else {
      x["totp_secret"] = nullptr;
    }
    users.emplace_back(std::move(x));
  }
  root["users"] = std::move(users);
  const DemoObjects& o = demo.objects;
  boost::json::object objects;
  objects["school_own"] = o.school_own;
  objects["school_other"] = o.school_other;
  objects["school_other_county"] = o.school_other_county;
  objects["student_own"] = o.student_own;
  objects["student_other_school"] = o.student_other_school;
  objects["student_other_county"] = o.student_other_county;
  objects["user_victim"] = o.user_victim;
  objects["user_other_county"] = o.user_other_county;
  objects["api_token_own"] = o.api_token_own;
  objects["api_token_other_county"] = o.api_token_other_county;
  boost::json::array children;
  for (int64_t id : o.guardian_children) children.emplace_back(id);
  objects["guardian_children"] = std::move(children);
  objects["cycle_own"] = o.cycle_own;
  objects["cycle_other_county"] = o.cycle_other_county;
  objects["application_own"] = o.application_own;
  objects["application_other_school"] = o.application_other_school;
  objects["application_other_county"] = o.application_other_county;
  objects["evidence_own"] = o.evidence_own;
  objects["evidence_other_school"] = o.evidence_other_school;
  objects["evidence_other_county"] = o.evidence_other_county;
  objects["notice_own"] = o.notice_own;
  objects["notice_other_county"] = o.notice_other_county;
  objects["cycle_past_own"] = o.cycle_past_own;
  objects["announcement_own"] = o.announcement_own;
  objects["objection_own"] = o.objection_own;
  objects["filing_own"] = o.filing_own;
  objects["filing_other_county"] = o.filing_other_county;
  objects["objection_past_other_county"] = o.objection_past_other_county;
  objects["announcement_other_county"] = o.announcement_other_county;
  objects["objection_other_county"] = o.objection_other_county;
  objects["objection_receipt_other_county"] = o.objection_receipt_other_county;
  objects["cycle_past_other_county"] = o.cycle_past_other_county;
  objects["payment_batch_other_county"] = o.payment_batch_other_county;
  objects["payment_batch_term2_other_county"] = o.payment_batch_term2_other_county;
  objects["payment_line_failed_other_county"] = o.payment_line_failed_other_county;
  objects["payment_student_failed_other_county"] = o.payment_student_failed_other_county;
  objects["fund_publication_other_county"] = o.fund_publication_other_county;
  objects["feedback_own"] = o.feedback_own;
  objects["feedback_other_school"] = o.feedback_other_school;
  objects["feedback_other_county"] = o.feedback_other_county;
  objects["feedback_receipt"] = o.feedback_receipt;
  root["objects"] = std::move(objects);
  return boost::json::serialize(root);
}

std::string demo_credentials_table(const DemoResult& demo) {
  std::string out = "演示账号 (demo accounts) — " + demo.county_name + " " + demo.county_code + "\n";
  for (const auto& u : demo.users) {
    out += "  " + u.username + std::string(12 - std::min<size_t>(11, u.username.size()), ' ') + u.password + "  " +
           u.display_name;
    if (!u.totp_secret.empty()) out += "  动态口令密钥 TOTP secret: " + u.totp_secret;
    out += "\n";
  }
  return out;
}

}  // namespace zizhu::app
