// `zizhu import schools`: the organisation tree from a CSV/XLSX list of
// schools. Province and city nodes are derived from each school's county
// code; every node is upserted by its code. Validated first, written in one
// transaction.
//
// Columns (Chinese name or English key, any order; unknown columns ignored):
//
// | 学校标识码 | school_code | required; 10 digits; a second right row for one code is DUPLICATE_SCHOOL |
// | 学校名称   | school_name | required |
// | 区县代码   | county_code | required; a six-digit county code (not ending in 00): BAD_REGION_CODE |
// | 学段       | stage       | optional; 小学/初中/九年一贯制 or primary/junior/nine_year: BAD_STAGE |
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/import_rejects.h"
#include "store/records.h"
#include "store/store.h"

namespace zizhu::store {

inline constexpr std::string_view kBadRegionCode = "BAD_REGION_CODE";
inline constexpr std::string_view kBadStage = "BAD_STAGE";

struct SchoolImportSummary {
  int64_t rows_read = 0;
  int64_t inserted = 0;   // schools
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
  int64_t regions_inserted = 0;  // province, city and county nodes created
};

// 学段 text: 小学 / 初中 / 九年一贯制, or the English keys; nothing otherwise.
std::optional<SchoolStage> parse_stage_text(std::string_view text);

// The names of the province, city and county a six-digit county code lies in,
// from GB/T 2260; a code the table does not know is named by its code.
struct RegionNames {
  std::string province, city, county;
};
RegionNames region_names(std::string_view county_code);

Result<SchoolImportSummary> import_schools(Store& store, const std::string& path, const std::string& rejects_path,
                                           std::vector<Reject>* rejects_out = nullptr);

}  // namespace zizhu::store
