#include "store/records.h"

namespace zizhu::store {

std::string_view org_kind_name(OrgKind kind) {
  switch (kind) {
    case OrgKind::kProvince: return "province";
    case OrgKind::kCity: return "city";
    case OrgKind::kCounty: return "county";
    case OrgKind::kSchool: return "school";
  }
  return "";
}

std::optional<OrgKind> parse_org_kind(std::string_view text) {
  if (text == "province") return OrgKind::kProvince;
  if (text == "city") return OrgKind::kCity;
  if (text == "county") return OrgKind::kCounty;
  if (text == "school") return OrgKind::kSchool;
  return std::nullopt;
}

std::string path_segment(OrgKind kind, std::string_view code) {
  // Region codes carry their ancestors in their leading digits; only the
  // significant ones name the node, so paths read like the codes people know.
  size_t length = code.size();
  switch (kind) {
    case OrgKind::kProvince: length = 2; break;
    case OrgKind::kCity: length = 4; break;
    case OrgKind::kCounty: length = 6; break;
    case OrgKind::kSchool: break;
  }
  return std::string(code.substr(0, length));
}

std::string_view school_stage_name(SchoolStage stage) {
  switch (stage) {
    case SchoolStage::kPrimary: return "primary";
    case SchoolStage::kJunior: return "junior";
    case SchoolStage::kNineYear: return "nine_year";
  }
  return "";
}

std::optional<SchoolStage> parse_school_stage(std::string_view text) {
  if (text == "primary") return SchoolStage::kPrimary;
  if (text == "junior") return SchoolStage::kJunior;
  if (text == "nine_year") return SchoolStage::kNineYear;
  return std::nullopt;
}

}  // namespace zizhu::store
