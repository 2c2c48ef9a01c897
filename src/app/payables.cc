#include "app/payables.h"

#include <boost/json/parse.hpp>

#include "app/cycles.h"
#include "app/errors.h"
#include "app/school_list.h"

namespace zizhu::app {

namespace {

// The entries of a frozen snapshot that pay in `term`.
Result<void> add_lines(const store::Filing& f, int term, std::vector<PayableLine>& out, int64_t& total_fen) {
  boost::system::error_code ec;
  const auto root = boost::json::parse(f.snapshot, ec);
  const auto* entries = (!ec && root.is_object()) ? root.as_object().if_contains("entries") : nullptr;
  if (entries == nullptr || !entries->is_array()) {
    return fail("DB_CORRUPT", "备案名单内容不正确 (filing " + std::to_string(f.id) + ")");
  }
  for (const auto& v : entries->as_array()) {
    const auto* e = v.if_object();
    const auto* terms = e ? e->if_contains("terms") : nullptr;
    if (terms == nullptr || !terms->is_array() || terms->as_array().size() != 2) {
      return fail("DB_CORRUPT", "备案名单内容不正确 (filing " + std::to_string(f.id) + ")");
    }
    const auto& t = terms->as_array()[static_cast<size_t>(term - 1)].as_object();
    if (t.at("level").is_null() || t.at("amount_fen").as_int64() <= 0) continue;
    PayableLine line;
    line.filing_id = f.id;
    line.school_code = f.school_code;
    line.school_name = f.school_name;
    line.student_id = e->at("student_id").as_int64();
    line.student_no_masked = std::string(e->at("student_no_masked").as_string());
    line.name = std::string(e->at("name").as_string());
    line.grade = static_cast<int>(e->at("grade").as_int64());
    line.class_name = std::string(e->at("class").as_string());
    line.level = static_cast<int>(t.at("level").as_int64());
    line.amount_fen = t.at("amount_fen").as_int64();
    total_fen += line.amount_fen;
    out.push_back(std::move(line));
  }
  return {};
}

}  // namespace

Result<TermPayables> term_payables(App&, store::Store& store, const Actor& actor, int64_t cycle_id, int term) {
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (term != 1 && term != 2) return field_error("BAD_VALUE", "学期须为 1 或 2", "term");
  auto schools = store.schools_under(cycle->county_path);
  if (!schools) return tl::unexpected(schools.error());
  TermPayables out;
  out.cycle_id = cycle_id;
  out.term = term;
  for (const auto& school : *schools) {
    auto filings = store.filings_of(cycle_id, school.org_id);
    if (!filings) return tl::unexpected(filings.error());
    const store::Filing* newest = nullptr;
    for (const auto& f : *filings) {
      if (f.state == "APPROVED") newest = &f;  // oldest first: the last approved is the newest
    }
    if (newest == nullptr) {
      auto candidates = school_candidates(store, cycle_id, school);
      if (!candidates) return tl::unexpected(candidates.error());
      if (!candidates->empty()) out.schools_not_approved.push_back(school.name);
      continue;
    }
    if (auto ok = add_lines(*newest, term, out.lines, out.total_fen); !ok) return tl::unexpected(ok.error());
  }
  return out;
}

}  // namespace zizhu::app
