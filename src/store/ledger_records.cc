#include "store/ledger_records.h"

#include <array>

namespace zizhu::store {

namespace {

constexpr std::array<std::string_view, kLedgerAccountKinds> kAccountKindKeys = {
    "source_central", "source_provincial", "source_local", "source_donor", "source_school",
    "dedicated",      "school_allocation", "payable",      "paid_out",     "returned"};

constexpr std::array<std::string_view, kTransferCodes> kTransferCodeKeys = {
    "receipt", "allocation", "commitment", "payment", "return", "correction"};

}  // namespace

std::string_view ledger_account_kind_key(LedgerAccountKind kind) {
  return kAccountKindKeys[static_cast<size_t>(kind)];
}

std::optional<LedgerAccountKind> parse_ledger_account_kind(std::string_view key) {
  for (size_t i = 0; i < kAccountKindKeys.size(); ++i) {
    if (kAccountKindKeys[i] == key) return static_cast<LedgerAccountKind>(i);
  }
  return std::nullopt;
}

std::string_view transfer_code_key(TransferCode code) { return kTransferCodeKeys[static_cast<size_t>(code)]; }

std::optional<TransferCode> parse_transfer_code(std::string_view key) {
  for (size_t i = 0; i < kTransferCodeKeys.size(); ++i) {
    if (kTransferCodeKeys[i] == key) return static_cast<TransferCode>(i);
  }
  return std::nullopt;
}

}  // namespace zizhu::store
