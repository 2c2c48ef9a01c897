// The bank files of funds.md "Paying" (docs/ledger.md "Bank files"): the
// payment file the county hands to its bank (批量代发文件), the return file the
// bank hands back (银行回盘文件), and the pure classification of a return file
// against the batch it answers. No database, no HTTP, no clock: bytes in,
// values out (the XLSX payment file alone is written to a path, because
// libxlsxwriter writes files).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/fen.h"
#include "io/table.h"

namespace zizhu::funds {

// ---------------------------------------------------------------- payment file

// Bounds (TigerBeetle's habit: every loop and input has one).
inline constexpr size_t kPaymentLinesMax = 100'000;
inline constexpr size_t kBatchNoBytesMax = 32;    // ASCII letters, digits, '-', '_'
inline constexpr size_t kLineIdBytesMax = 32;     // same alphabet
inline constexpr size_t kPayeeNameBytesMax = 90;  // 30 CJK characters
inline constexpr size_t kBankNameBytesMax = 180;  // 60 CJK characters
inline constexpr size_t kPurposeBytesMax = 180;

struct PaymentLine {
  std::string line_id;     // 明细流水号: unique in the batch, stable across retries
  std::string payee_name;  // 收款人姓名
  std::string account;     // 收款账号: 12–19 ASCII digits (core/bank_card.h)
  std::string bank_name;   // 开户行: optional (empty)
  Fen amount;              // 金额: > 0
};

struct PaymentBatch {
  std::string batch_no;  // 批次号
  std::string purpose;   // 用途, e.g. "2026-2027学年第一学期义务教育资助"
  std::vector<PaymentLine> lines;
};

// The column headers of the payment file, in order (CSV and XLSX).
inline constexpr std::array<std::string_view, 7> kPaymentColumns = {
    "批次号", "明细流水号", "收款人姓名", "收款账号", "开户行", "金额", "用途"};

struct PaymentFile {
  std::string csv;         // the bytes to hand to the bank
  std::string sm3_hex;     // SM3 of `csv`, lower-case hex (64 characters)
  std::string sha256_hex;  // SHA-256 of `csv`, lower-case hex (64 characters)
  size_t line_count = 0;
  Fen total;
};

// Checks a batch; the first fault is an error with code BAD_BATCH, a Chinese
// message naming the line (its row in the file and its 明细流水号) and the
// field, and Location{row, column}. Returns the total.
Result<Fen> check_payment_batch(const PaymentBatch& batch);

// The CSV payment file: UTF-8 with a BOM, CRLF after every row, a header row
// (kPaymentColumns), one row per line, and a trailer row
// 合计,笔数,<count>,总金额,<total yuan>. Refuses what check_payment_batch refuses.
Result<PaymentFile> write_payment_csv(const PaymentBatch& batch);

// The same rows as an .xlsx file at `path` (sheet 代发明细): every value a text
// cell except 金额 (a number shown 0.00); the trailer as in the CSV.
Result<void> write_payment_xlsx(const PaymentBatch& batch, const std::string& path);

// Lower-case hex digests of any bytes.
std::string sm3_hex(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

// ----------------------------------------------------------------- return file

inline constexpr size_t kReturnFileBytesMax = 64u << 20;
inline constexpr long kReturnRowsMax = 200'000;  // data rows (not counting the header)
inline constexpr size_t kRejectValueBytesMax = 100;  // a rejected value is cut to this

struct ReturnLine {
  long row = 0;             // in the file (header = 1)
  std::string line_id;      // 明细流水号
  bool succeeded = false;   // 状态: 成功 / 失败
  std::string reason;       // 失败原因 (may be empty)
  std::string bank_ref;     // 银行流水号 (may be empty)
  Date processed_on;        // 处理日期
  std::optional<Fen> amount;  // 金额, when the file has the column and the cell is not empty
};

// A row that is not taken; one per bad cell (a row can have several).
// Codes: MISSING_LINE_ID, BAD_LINE_ID, DUPLICATE_LINE_ID, BAD_STATUS,
// BAD_DATE, BAD_AMOUNT.
struct ReturnReject {
  long row = 0;
  std::string column;  // the header as written in the file
  std::string value;   // the cell (cut to kRejectValueBytesMax bytes)
  std::string code;
};

struct ReturnFile {
  std::vector<ReturnLine> lines;
  std::vector<ReturnReject> rejects;
};

// Reads a return file from its bytes: CSV, UTF-8 (BOM or not) or else GB18030.
// `name` is the file's name for errors. Errors (never an exception): TOO_LARGE,
// TOO_MANY_ROWS, BAD_ENCODING, NO_HEADER, MISSING_COLUMN — each naming the file
// (and the column).
Result<ReturnFile> parse_return_csv(const std::string& name, std::string_view bytes);

// The same from any table (an .xlsx opened with io::open_xlsx, or a CSV).
Result<ReturnFile> read_return_table(io::TableReader& table);

// ------------------------------------------------------------- reconciliation

enum class ReturnClass : uint8_t {
  kMatchedSuccess,  // a pending line the bank paid: post it
  kMatchedFailure,  // a pending line the bank refused: void it
  kUnknownLine,     // no such line in the batch: report, change nothing
  kAmountMismatch,  // the file's 金额 differs from the line's: report, change nothing
  kAlreadySettled,  // posted or voided by an earlier import: change nothing
};
std::string_view return_class_key(ReturnClass c);  // "matched_success", ...

struct ClassifiedLine {
  size_t index = 0;  // into ReturnFile::lines
  ReturnClass cls = ReturnClass::kUnknownLine;
};

struct Reconciliation {
  std::vector<ClassifiedLine> lines;  // one per return line, in file order
  std::array<size_t, 5> count{};      // per ReturnClass
  Fen success_total;                  // batch amounts of kMatchedSuccess lines
  Fen failure_total;                  // batch amounts of kMatchedFailure lines
};

// `batch_amounts`: the batch's lines (明细流水号 → amount) still pending;
// `settled`: ids posted or voided earlier (by this batch's earlier imports).
// Checks, in order: settled → kAlreadySettled; not in the batch → kUnknownLine;
// an amount in the file that differs → kAmountMismatch; else matched by 状态.
// An error (OVERFLOW) only if a total leaves int64.
Result<Reconciliation> reconcile_return(const std::unordered_map<std::string, Fen>& batch_amounts,
                                        const std::unordered_set<std::string>& settled,
                                        const ReturnFile& file);

}  // namespace zizhu::funds
