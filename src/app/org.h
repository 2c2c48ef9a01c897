// The organisation tree and the schools, as far as the actor's subtree reaches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/paging.h"
#include "store/store.h"

namespace zizhu::app {

Result<std::vector<store::OrgNode>> org_tree(App& app, store::Store& store, const Actor& actor);

struct SchoolView {
  std::string code;
  std::string name;
  std::string stage;  // "primary", "junior", "nine_year", or empty
  std::string county_code;
  std::string county_name;
};

struct SchoolQuery {
  std::optional<std::string> name_contains;
  std::optional<std::string> county_code;
};

Result<Page<SchoolView>> list_schools(App& app, store::Store& store, const Actor& actor, const SchoolQuery& query,
                                      const PageRequest& page);
Result<SchoolView> get_school(App& app, store::Store& store, const Actor& actor, std::string_view code);

}  // namespace zizhu::app
