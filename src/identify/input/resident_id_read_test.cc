#include "identify/input/resident_id_read.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/resident_id.h"

namespace zizhu::identify {
namespace {

// read_resident_id must say exactly what core/resident_id says.
void expect_same(const std::string& id, Date reference) {
  const ResidentIdFacts f = read_resident_id(id, reference.days());
  const auto key = resident_id_key(id);
  const auto info = resident_id_info(id, reference);
  ASSERT_EQ(f.shaped, key.has_value()) << id;
  if (key) {
    EXPECT_EQ(f.key, *key) << id;
  }
  ASSERT_EQ(f.valid, info.has_value()) << id;
  if (info) {
    EXPECT_EQ(f.birth_days, info->birth.days()) << id;
    EXPECT_EQ(f.male, info->male) << id;
  }
}

std::string with_check(std::string first17) { return first17 + resident_id_check_char(first17); }

TEST(ResidentIdRead, AgreesWithCoreOnEdges) {
  const Date ref = *Date::from_ymd(2026, 9, 1);
  for (const char* id : {"11010519491231002X", "11010519491231002x", "110105194912310021", "", "1101051949123100",
                         "1101051949123100201", "A1010519491231002X", "11010519491231002Y", "110105194912310 2X"})
    expect_same(id, ref);
  for (const char* body : {"11010519000101001", "11010518991231001", "11010520000229001", "11010519000229001",
                           "11010520260901001", "11010520260902001", "11010520261301001", "11010520260100001",
                           "10010519800101001", "99010519800101001", "71010519800101001", "82010519800101001",
                           "16010519800101001", "11010519800431001", "11010519800230001", "11010500000101001"})
    expect_same(with_check(body), ref);
}

TEST(ResidentIdRead, AgreesWithCoreOnRandomIds) {
  std::mt19937_64 rng(7);
  const Date ref = *Date::from_ymd(2026, 9, 1);
  std::uniform_int_distribution<int> digit(0, 9), pick(0, 3), year(1890, 2030), month(0, 13), day(0, 32);
  for (int n = 0; n < 200000; ++n) {
    // The values always make 17 digits; the larger buffer only quiets
    // -Wformat-truncation, which cannot see their ranges at -O0.
    char body[64];
    std::snprintf(body, sizeof body, "%02d%04d%04d%02d%02d%03d", 10 + digit(rng) * 8 % 80, digit(rng) * 1111,
                  year(rng), month(rng), day(rng), digit(rng) * 111);
    std::string id = with_check(body);
    if (pick(rng) == 0) id[17] = static_cast<char>('0' + digit(rng));  // often a wrong check character
    if (id[17] == 'X' && pick(rng) == 1) id[17] = 'x';
    expect_same(id, ref);
  }
}

}  // namespace
}  // namespace zizhu::identify
