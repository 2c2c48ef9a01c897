#include "core/code_list.h"

namespace zizhu {

std::string join_codes(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) {
    if (!out.empty()) out += ';';
    out += c;
  }
  return out;
}

std::vector<std::string> split_codes(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t cut = text.find(';');
    out.emplace_back(text.substr(0, cut));
    if (cut == std::string_view::npos) break;
    text.remove_prefix(cut + 1);
  }
  return out;
}

}  // namespace zizhu
