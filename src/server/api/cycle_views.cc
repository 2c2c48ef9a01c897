#include "server/api/cycle_views.h"

#include <boost/json/array.hpp>

#include "core/fen.h"

namespace zizhu::server::api {

namespace {

boost::json::value opt(const std::optional<bool>& v) {
  if (!v) return nullptr;
  return *v;
}

boost::json::value opt(const std::optional<int64_t>& v) {
  if (!v) return nullptr;
  return *v;
}

boost::json::value text_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::value(s);
}

}  // namespace

boost::json::object to_json(const app::CycleView& c) {
  return boost::json::object({
      {"id", c.id},
      {"county_code", c.county_code},
      {"county_name", c.county_name},
      {"school_year", c.school_year},
      {"name", c.name},
      {"state", c.state},
      {"state_label", c.state_label},
      {"policy_version", c.policy_version ? boost::json::value(*c.policy_version) : boost::json::value(nullptr)},
      {"applications_open_on", text_or_null(c.applications_open_on)},
      {"applications_close_on", text_or_null(c.applications_close_on)},
      {"created_at_ms", c.created_at_ms},
      {"updated_at_ms", c.updated_at_ms},
  });
}

boost::json::object to_json(const app::PolicyView& p) {
  boost::json::array versions;
  for (const auto& v : p.versions) {
    versions.emplace_back(boost::json::object({{"version", v.version}, {"sm3", v.sm3}, {"created_at_ms", v.created_at_ms}}));
  }
  return boost::json::object({
      {"version", p.version},
      {"toml", p.toml},
      {"sm3", p.sm3},
      {"versions", std::move(versions)},
  });
}

boost::json::object to_json(const app::BudgetView& b) {
  return boost::json::object({{"school_code", b.school_code}, {"school_name", b.school_name}, {"budget", format_yuan(Fen::from_fen(b.budget_fen))}});
}

boost::json::object to_json(const app::DeptListImportView& d) {
  return boost::json::object({
      {"id", d.id},
      {"source", d.source},
      {"file_sm3", d.file_sm3},
      {"accepted", d.accepted},
      {"rejected", d.rejected},
      {"imported_at_ms", d.imported_at_ms},
  });
}

boost::json::object to_json(const app::ApplicationView& a) {
  boost::json::array claimed;
  for (const auto& c : a.claimed_categories) claimed.emplace_back(c);
  return boost::json::object({
      {"id", a.id},
      {"cycle_id", a.cycle_id},
      {"school_year", a.school_year},
      {"student_id", a.student_id},
      {"student_name", a.student_name},
      {"student_no", a.student_no},
      {"school_code", a.school_code},
      {"school_name", a.school_name},
      {"grade", a.grade},
      {"class_name", a.class_name},
      {"state", a.state},
      {"state_label", a.state_label},
      {"channel", a.channel},
      {"household_size", a.household_size},
      {"household_income", format_yuan(Fen::from_fen(a.household_income_fen))},
      {"claimed_categories", std::move(claimed)},
      {"serious_illness", opt(a.serious_illness)},
      {"sudden_hardship", opt(a.sudden_hardship)},
      {"single_parent", opt(a.single_parent)},
      {"siblings_in_school", opt(a.siblings_in_school)},
      {"created_at_ms", a.created_at_ms},
      {"updated_at_ms", a.updated_at_ms},
  });
}

boost::json::object to_json(const app::GuardianCycle& g) {
  boost::json::array students;
  for (int64_t id : g.student_ids) students.emplace_back(id);
  return boost::json::object({
      {"cycle_id", g.cycle_id},
      {"name", g.name},
      {"school_year", g.school_year},
      {"applications_open_on", text_or_null(g.applications_open_on)},
      {"applications_close_on", text_or_null(g.applications_close_on)},
      {"student_ids", std::move(students)},
  });
}

}  // namespace zizhu::server::api
