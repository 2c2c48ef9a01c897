#include "app/list_snapshot.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace zizhu::app {

namespace {

boost::json::value level_json(const std::optional<int>& level) {
  return level ? boost::json::value(*level) : boost::json::value(nullptr);
}

}  // namespace

Result<std::string> write_list_snapshot(store::Store& store, const store::Cycle& cycle, const store::School& school,
                                        int round, const std::vector<ListEntry>& list, int64_t* entries, Fen* total) {
  boost::json::array rows;
  for (const auto& e : list) {
    if (!e.funded()) continue;
    auto s = store.get_student_listing(e.student_id);
    if (!s) return tl::unexpected(s.error());
    if (!*s) return fail("INTERNAL", "名单中的学生不存在");
    boost::json::array terms;
    const TermEntry* by_term[2] = {&e.term1, &e.term2};
    for (int term = 1; term <= 2; ++term) {
      const TermEntry& t = *by_term[term - 1];
      terms.push_back(boost::json::object({
          {"term", term},
          {"level", level_json(t.level)},
          {"amount_fen", t.level ? term_amount(t.amount, term).value() : 0},
      }));
    }
    rows.push_back(boost::json::object({
        {"student_id", e.student_id},
        {"student_no_masked", (*s)->student_no_masked},
        {"name", (*s)->name},
        {"grade", (*s)->grade},
        {"class", (*s)->class_name},
        {"source", e.source},
        {"terms", std::move(terms)},
    }));
  }
  *entries = static_cast<int64_t>(rows.size());
  *total = committed_total(list);
  boost::json::object snapshot({
      {"format", "zizhu-filing-1"},
      {"cycle_id", cycle.id},
      {"county_code", cycle.county_code},
      {"school_year", cycle.school_year},
      {"policy_version", cycle.policy_version.value_or(0)},
      {"school_code", school.school_code},
      {"school_name", school.name},
      {"round", round},
      {"entries", std::move(rows)},
      {"total_fen", total->value()},
  });
  return boost::json::serialize(snapshot);
}

Result<std::vector<SnapshotEntry>> read_list_snapshot(std::string_view json, int64_t filing_id) {
  auto corrupt = [filing_id] { return fail("DB_CORRUPT", "备案名单内容不正确 (filing " + std::to_string(filing_id) + ")"); };
  boost::system::error_code ec;
  const auto root = boost::json::parse(json, ec);
  const auto* entries = (!ec && root.is_object()) ? root.as_object().if_contains("entries") : nullptr;
  if (entries == nullptr || !entries->is_array()) return corrupt();
  std::vector<SnapshotEntry> out;
  for (const auto& v : entries->as_array()) {
    const auto* e = v.if_object();
    const auto* terms = e ? e->if_contains("terms") : nullptr;
    if (terms == nullptr || !terms->is_array() || terms->as_array().size() != 2) return corrupt();
    SnapshotEntry s;
    // The fields are ours; a missing or mistyped one is corruption, not input.
    try {
      s.student_id = e->at("student_id").as_int64();
      s.student_no_masked = std::string(e->at("student_no_masked").as_string());
      s.name = std::string(e->at("name").as_string());
      s.grade = static_cast<int>(e->at("grade").as_int64());
      s.class_name = std::string(e->at("class").as_string());
      s.source = std::string(e->at("source").as_string());
      for (size_t t = 0; t < 2; ++t) {
        const auto& term = terms->as_array()[t].as_object();
        if (!term.at("level").is_null()) s.terms[t].level = static_cast<int>(term.at("level").as_int64());
        s.terms[t].amount_fen = term.at("amount_fen").as_int64();
      }
    } catch (const std::exception&) {
      return corrupt();
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace zizhu::app
