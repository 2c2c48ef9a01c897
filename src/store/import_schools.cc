#include "store/import_schools.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "core/region.h"
#include "io/table.h"
#include "store/import_columns.h"

namespace zizhu::store {

namespace {

constexpr std::array kColumns = {
    ColumnDef{"学校标识码", "school_code", true},
    ColumnDef{"学校名称", "school_name", true},
    ColumnDef{"区县代码", "county_code", true},
    ColumnDef{"学段", "stage", false},
};
enum Col { kCode, kName, kCounty, kStage };

// Upper bound on rows: far above the ~200,000 schools of the whole country.
constexpr int64_t kRowsMax = 2'000'000;

bool all_digits(std::string_view text, size_t length) {
  return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct SchoolRow {
  long row;
  std::string code, name, county_code;
  std::optional<SchoolStage> stage;
};

}  // namespace

RegionNames region_names(std::string_view county_code) {
  const std::string code(county_code);
  int code6 = 0;
  for (char c : county_code) code6 = code6 * 10 + (c - '0');  // six digits, checked by the caller
  // A level the table does not know (an abolished or new code) is named by its code.
  auto name_or = [](std::optional<std::string_view> name, std::string fallback) {
    return name ? std::string(*name) : fallback;
  };
  return {name_or(province_name(code6 / 10000), code.substr(0, 2) + "0000"),
          name_or(city_name(code6 / 100), code.substr(0, 4) + "00"), name_or(county_name(code6), code)};
}

std::optional<SchoolStage> parse_stage_text(std::string_view text) {
  if (text == "小学") return SchoolStage::kPrimary;
  if (text == "初中") return SchoolStage::kJunior;
  if (text == "九年一贯制") return SchoolStage::kNineYear;
  return parse_school_stage(text);
}

Result<SchoolImportSummary> import_schools(Store& store, const std::string& path, const std::string& rejects_path,
                                           std::vector<Reject>* rejects_out) {
  auto table = io::open_table(path);
  if (!table) return tl::unexpected(table.error());
  auto cols = resolve_columns(**table, kColumns);
  if (!cols) return tl::unexpected(cols.error());
  auto header_of = [&](Col c) { return cols->names[static_cast<size_t>(c)]; };

  SchoolImportSummary summary;
  std::vector<Reject> rejects;
  std::vector<SchoolRow> good;
  std::unordered_map<std::string, size_t> seen;  // school code → first right row
  io::Row row;
  for (;;) {
    auto more = (*table)->next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    if (++summary.rows_read > kRowsMax) {
      return fail("TOO_MANY_ROWS", path + ": 行数超过上限 (too many rows)", {path, row.number, ""});
    }
    auto reject = [&](Col c, std::string_view value, std::string_view reason) {
      rejects.push_back({path, row.number, header_of(c), std::string(value), std::string(reason)});
    };
    const std::string_view code = cell_at(row, cols->position[kCode]).text;
    const std::string_view name = cell_at(row, cols->position[kName]).text;
    const std::string_view county = cell_at(row, cols->position[kCounty]).text;
    const std::string_view stage_text = cell_at(row, cols->position[kStage]).text;
    // Fields in the table's order; the first fault is the one reported.
    if (code.empty()) { reject(kCode, code, "MISSING_VALUE"); continue; }
    if (!all_digits(code, 10)) { reject(kCode, code, "BAD_SCHOOL_CODE"); continue; }
    if (name.empty()) { reject(kName, name, "MISSING_VALUE"); continue; }
    if (county.empty()) { reject(kCounty, county, "MISSING_VALUE"); continue; }
    // A county code: six digits, its own last two not 00 (that would be a
    // city or a province).
    if (!all_digits(county, 6) || county.substr(4) == "00" || county.substr(2, 2) == "00") {
      reject(kCounty, county, kBadRegionCode);
      continue;
    }
    std::optional<SchoolStage> stage;
    if (!stage_text.empty()) {
      stage = parse_stage_text(stage_text);
      if (!stage) { reject(kStage, stage_text, kBadStage); continue; }
    }
    if (seen.contains(std::string(code))) { reject(kCode, code, "DUPLICATE_SCHOOL"); continue; }
    seen.emplace(std::string(code), good.size());
    good.push_back({row.number, std::string(code), std::string(name), std::string(county), stage});
  }
  summary.rejected = static_cast<int64_t>(rejects.size());

  auto tx = Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  std::map<std::string, int64_t> region_ids;  // code → node id, for this import
  auto region = [&](std::optional<int64_t> parent, OrgKind kind, std::string code,
                    std::string name) -> Result<int64_t> {
    if (auto found = region_ids.find(code); found != region_ids.end()) return found->second;
    auto node = store.upsert_org_node({parent, kind, code, std::move(name)});
    if (!node) return tl::unexpected(node.error());
    if (node->outcome == Outcome::kInserted) ++summary.regions_inserted;
    region_ids.emplace(std::move(code), node->id);
    return node->id;
  };
  for (const auto& s : good) {
    const RegionNames names = region_names(s.county_code);
    auto province = region(std::nullopt, OrgKind::kProvince, s.county_code.substr(0, 2) + "0000", names.province);
    if (!province) return tl::unexpected(province.error());
    auto city = region(*province, OrgKind::kCity, s.county_code.substr(0, 4) + "00", names.city);
    if (!city) return tl::unexpected(city.error());
    auto county = region(*city, OrgKind::kCounty, s.county_code, names.county);
    if (!county) return tl::unexpected(county.error());
    auto school = store.upsert_school({s.code, s.name, s.stage, *county});
    if (!school) {
      Error e = school.error();
      e.message = path + " 第 " + std::to_string(s.row) + " 行写入失败，导入已撤销 (import rolled back): " + e.message;
      e.where = {path, s.row, ""};
      return tl::unexpected(std::move(e));
    }
    switch (school->outcome) {
      case Outcome::kInserted: ++summary.inserted; break;
      case Outcome::kUpdated: ++summary.updated; break;
      case Outcome::kUnchanged: ++summary.unchanged; break;
    }
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  if (!rejects_path.empty()) {
    if (auto ok = write_rejects(rejects_path, rejects); !ok) return tl::unexpected(ok.error());
  }
  if (rejects_out != nullptr) *rejects_out = std::move(rejects);
  return summary;
}

}  // namespace zizhu::store
