// libFuzzer target for the bank return file parser (funds/bank_files.h): any
// bytes must give a result or an error value without a crash, and the result
// must hang together: every taken line has a non-empty, unique 明细流水号 and
// a row inside the file; no row is both taken and rejected; rows only grow;
// and reconciling against an empty batch calls every line unknown.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "funds/bank_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace zizhu::funds;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto r = parse_return_csv("fuzz.csv", bytes);
  if (!r) {
    if (r.error().code.empty() || r.error().message.find("fuzz.csv") == std::string::npos) std::abort();
    return 0;
  }
  std::unordered_set<std::string> ids;
  std::set<long> taken;
  long last = 1;
  for (const ReturnLine& l : r->lines) {
    if (l.line_id.empty() || !ids.insert(l.line_id).second) std::abort();
    if (l.row <= last) std::abort();
    last = l.row;
    taken.insert(l.row);
    if (l.amount && l.amount->value() < 0) std::abort();
  }
  for (const ReturnReject& j : r->rejects) {
    if (j.row < 2 || taken.contains(j.row) || j.code.empty() || j.column.empty()) std::abort();
    if (j.value.size() > kRejectValueBytesMax) std::abort();
  }
  const auto c = reconcile_return({}, {}, *r);
  if (!c || c->lines.size() != r->lines.size() ||
      c->count[static_cast<size_t>(ReturnClass::kUnknownLine)] != r->lines.size()) {
    std::abort();
  }
  return 0;
}
