// Records of paying (funds.md "Paying", migration 14, docs/payments.md) as the
// store keeps them: payment batches, their lines (one per student and term),
// and the log of bank card changes. Plain data; the rules are in
// app/payments.cc. Money is whole fen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace zizhu::store {

struct PaymentBatchRecord {
  int64_t id = 0;
  int64_t county_id = 0;
  int64_t cycle_id = 0;
  int term = 1;
  std::string channel;  // "direct" (bank file) or "school" (paid through the school)
  std::string batch_no;  // 批次号
  std::string purpose;   // 用途
  std::string state;     // PREPARED, APPROVED, SETTLED, CANCELLED
  int64_t line_count = 0;
  int64_t total_fen = 0;
  std::string file_sm3, file_sha256;  // of the payment file as prepared ("" for the school channel)
  int64_t prepared_by = 0;
  int64_t prepared_at_ms = 0;
  std::optional<int64_t> approved_by;
  std::optional<int64_t> approved_at_ms;
  std::optional<int64_t> closed_at_ms;  // settled or cancelled
  std::string prepared_by_name, approved_by_name;  // read only
};

struct PaymentLineRecord {
  int64_t id = 0;
  int64_t batch_id = 0;
  std::string line_no;  // 明细流水号
  int64_t cycle_id = 0;
  int term = 1;
  int64_t student_id = 0;
  int64_t school_id = 0;
  int64_t filing_id = 0;
  int level = 0;
  int64_t amount_fen = 0;
  std::string card_masked;  // the card as it was when the batch was prepared, masked
  std::string risk;         // "" or a short Chinese note for the approver (card changed on ...)
  std::string status;       // prepared, pending, paid, failed, cancelled, returned
  std::string reason;       // why it failed
  std::string bank_ref;     // 银行流水号 (or the school's payment reference)
  std::string processed_on; // 处理日期, YYYY-MM-DD
  std::optional<int64_t> settled_by;
  std::optional<int64_t> settled_at_ms;
};

struct BankCardChange {
  int64_t id = 0;
  int64_t student_id = 0;
  int64_t changed_at_ms = 0;
  int64_t changed_by = 0;
  std::string old_masked, new_masked;  // "" when there was none
  std::string reason;
};

}  // namespace zizhu::store
