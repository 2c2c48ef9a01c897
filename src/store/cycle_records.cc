#include "store/cycle_records.h"

#include <array>

namespace zizhu::store {

namespace {

constexpr std::array<std::string_view, 7> kCycleStateKeys = {"DRAFT",    "OPEN",     "REVIEW", "ANNOUNCING",
                                                              "FILING",   "APPROVED", "CLOSED"};

}  // namespace

std::string_view cycle_state_key(CycleState state) { return kCycleStateKeys[static_cast<size_t>(state)]; }

std::optional<CycleState> parse_cycle_state(std::string_view key) {
  for (size_t i = 0; i < kCycleStateKeys.size(); ++i) {
    if (kCycleStateKeys[i] == key) return static_cast<CycleState>(i);
  }
  return std::nullopt;
}

std::string_view application_state_key(ApplicationState state) {
  return state == ApplicationState::kSubmitted ? "SUBMITTED" : "WITHDRAWN";
}

namespace {
constexpr std::array<std::string_view, 4> kListStageKeys = {"REVIEW", "ANNOUNCING", "FILING", "APPROVED"};
}  // namespace

std::string_view list_stage_key(ListStage stage) { return kListStageKeys[static_cast<size_t>(stage)]; }

std::optional<ListStage> parse_list_stage(std::string_view key) {
  for (size_t i = 0; i < kListStageKeys.size(); ++i) {
    if (kListStageKeys[i] == key) return static_cast<ListStage>(i);
  }
  return std::nullopt;
}

}  // namespace zizhu::store
