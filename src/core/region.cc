#include "core/region.h"

#include <algorithm>

namespace zizhu {

// Defined in the generated regions_data.cc (cmake/embed_regions_script.cmake).
namespace region_data {
std::span<const RegionInfo> provinces();
std::span<const RegionInfo> cities();
std::span<const RegionInfo> counties();
}  // namespace region_data

namespace {

std::optional<std::string_view> find(std::span<const RegionInfo> table, int code) {
  const auto it = std::lower_bound(table.begin(), table.end(), code,
                                   [](const RegionInfo& r, int c) { return r.code < c; });
  if (it == table.end() || it->code != code) return std::nullopt;
  return it->name;
}

// City-level entries that stand for "no city" (counties directly under the
// province or the municipality): not part of a place's name.
bool placeholder_city(std::string_view name) {
  return name == "市辖区" || name == "县" || name == "省直辖县级行政区划" || name == "自治区直辖县级行政区划";
}

}  // namespace

std::optional<std::string_view> province_name(int code2) { return find(region_data::provinces(), code2); }
std::optional<std::string_view> city_name(int code4) { return find(region_data::cities(), code4); }
std::optional<std::string_view> county_name(int code6) { return find(region_data::counties(), code6); }

std::string region_full_name(int code6) {
  std::string out;
  const auto province = province_name(code6 / 10000);
  if (!province) return out;
  out += *province;
  const auto city = city_name(code6 / 100);
  if (city && !placeholder_city(*city)) out += *city;
  const auto county = county_name(code6);
  if (county && !(city && *city == *county)) out += *county;
  return out;
}

std::span<const RegionInfo> all_provinces() { return region_data::provinces(); }
std::span<const RegionInfo> all_cities() { return region_data::cities(); }
std::span<const RegionInfo> all_counties() { return region_data::counties(); }

}  // namespace zizhu
