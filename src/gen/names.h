// Chinese names and real county codes for the generated province.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace zizhu::gen {

std::span<const std::string_view> surnames();
std::span<const std::string_view> given_name_chars();

// Real GB/T 2260 county-level codes spread over many provinces. A fixed list
// until core/region.h (all_counties()) is available to the generator.
std::span<const uint32_t> county_codes();

}  // namespace zizhu::gen
