#include "app/org.h"

#include <unordered_map>

namespace zizhu::app {

Result<std::vector<store::OrgNode>> org_tree(App&, store::Store& store, const Actor& actor) {
  return store.org_subtree(actor.org_path);
}

namespace {

Result<SchoolView> view_of(store::Store& store, const store::School& s,
                           std::unordered_map<int64_t, std::pair<std::string, std::string>>& counties) {
  auto found = counties.find(s.county_id);
  if (found == counties.end()) {
    auto node = store.get_org_node(s.county_id);
    if (!node) return tl::unexpected(node.error());
    found = counties.emplace(s.county_id, *node ? std::make_pair((*node)->code, (*node)->name)
                                                : std::make_pair(std::string(), std::string()))
                .first;
  }
  SchoolView v;
  v.code = s.school_code;
  v.name = s.name;
  if (s.stage) v.stage = std::string(store::school_stage_name(*s.stage));
  v.county_code = found->second.first;
  v.county_name = found->second.second;
  return v;
}

}  // namespace

Result<Page<SchoolView>> list_schools(App&, store::Store& store, const Actor& actor, const SchoolQuery& query,
                                      const PageRequest& page) {
  // A county has at most a few hundred schools: filtered in memory.
  auto all = store.schools_under(actor.org_path);
  if (!all) return tl::unexpected(all.error());
  std::unordered_map<int64_t, std::pair<std::string, std::string>> counties;
  Page<SchoolView> out;
  int64_t index = 0;
  for (const auto& s : *all) {
    if (query.name_contains && s.name.find(*query.name_contains) == std::string::npos) continue;
    auto v = view_of(store, s, counties);
    if (!v) return tl::unexpected(v.error());
    if (query.county_code && v->county_code != *query.county_code) continue;
    if (index >= page.offset() && index < page.offset() + page.page_size) out.items.push_back(std::move(*v));
    ++index;
  }
  out.total = index;
  return out;
}

Result<SchoolView> get_school(App&, store::Store& store, const Actor& actor, std::string_view code) {
  auto s = store.find_school(code);
  if (!s) return tl::unexpected(s.error());
  if (!*s || !actor.in_scope((*s)->path)) return fail("NOT_FOUND", "学校不存在");
  std::unordered_map<int64_t, std::pair<std::string, std::string>> counties;
  return view_of(store, **s, counties);
}

}  // namespace zizhu::app
