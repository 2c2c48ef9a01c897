#include "gen/names.h"

#include <array>
#include <vector>

#include "core/region.h"

namespace zizhu::gen {
namespace {

// Common surnames, roughly by frequency, with a few compound ones.
constexpr std::array<std::string_view, 72> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "诸葛", "上官"};

constexpr std::array<std::string_view, 64> kGiven = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "娟", "建", "文", "辉", "宁", "佳",
    "欣", "悦", "梓", "涵", "睿", "浩", "宇", "轩", "晨", "博", "嘉", "怡", "雨", "子", "思", "诗",
    "俊", "天", "铭", "琳", "瑶", "航", "逸", "泽", "昊", "萱", "彤", "然", "奕", "霖", "佑", "乐"};

}  // namespace

std::span<const std::string_view> surnames() { return kSurnames; }
std::span<const std::string_view> given_name_chars() { return kGiven; }

// Every county-level code of GB/T 2260 (core/region.h), ascending: fixed data
// compiled into the program, so the generator stays deterministic.
std::span<const uint32_t> county_codes() {
  static const std::vector<uint32_t> codes = [] {
    std::vector<uint32_t> out;
    for (const RegionInfo& county : all_counties()) out.push_back(static_cast<uint32_t>(county.code));
    return out;
  }();
  return codes;
}

}  // namespace zizhu::gen
