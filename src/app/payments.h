// Paying per term (funds.md "Paying", issue 6 item 3; docs/payments.md): the
// payment batch that finance prepares from the approved lists and a second
// person approves after seeing the totals, the file's digest and the risks;
// the bank payment file; the bank's return file that posts the paid lines and
// voids the failed ones (those students are "to pay" again, for a later
// batch); the through-school channel, where the school records each payment
// itself; and the return of unpaid remainders.
//
// Every step writes its ledger transfers (funds/ledger.h rules) and its audit
// record in one transaction with the batch and line rows, so a crash leaves
// the step done or not done, never half.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/funds_in.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

// A card changed this recently before a batch is highlighted to the approver.
inline constexpr int64_t kCardChangeRiskWindowMs = int64_t{30} * 24 * 3600 * 1000;

// The stored line with this id (any scope: the caller checks it), or
// NOT_FOUND naming the field "line_id".
Result<store::PaymentLineRecord> payment_line_by_id(store::Store& store, int64_t line_id);

struct PaymentLineView {
  int64_t id = 0;
  std::string line_no;  // 明细流水号
  int64_t filing_id = 0;
  std::string school_code, school_name;
  int64_t student_id = 0;
  std::string student_no_masked, name;
  int level = 0;
  std::string amount;  // yuan
  std::string card_masked;
  std::string risk;    // "" or what the approver should look at
  std::string status;  // prepared, pending, paid, failed, cancelled
  std::string reason, bank_ref, processed_on;
};

struct SchoolTotal {
  std::string school_code, school_name;
  int64_t lines = 0;
  std::string amount;
};

// A student the batch's term still owes (on an approved list) who has no
// line prepared, at the bank, paid or returned for the term, and why a batch
// of the batch's channel does not hold them. Masked data only.
struct ExcludedStudent {
  int64_t student_id = 0;
  std::string school_code, school_name, student_no_masked, name;
  std::string amount;  // yuan, the term's amount owed
  // "no_card", "no_guardian_name" (a direct batch cannot pay them), or
  // "not_in_batch" (payable now: nobody has prepared a batch for them yet).
  std::string reason_code;
  std::string reason;  // for people, with the last failure's reason if any
};

struct PaymentBatchView {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int term = 1;
  std::string channel, batch_no, purpose, state;
  int64_t line_count = 0;
  std::string total;  // yuan
  std::string file_sm3, file_sha256;
  std::string prepared_by, approved_by;  // display names
  int64_t prepared_at_ms = 0;
  std::optional<int64_t> approved_at_ms, closed_at_ms;
  int64_t risks = 0;                     // lines with a risk note
  std::vector<int64_t> status_counts;    // prepared, pending, paid, failed, cancelled
  std::vector<SchoolTotal> schools;
  std::vector<PaymentLineView> lines;    // filled by get/prepare/approve, not by the list
  // Prepare: the students it left out (no card, no guardian's name). The
  // detail (get_batch): every student the term still owes who is in no live
  // batch, read at excluded_as_of_ms, not kept from preparation. Empty with
  // excluded_as_of_ms unset in lists and in the answers of other steps.
  std::vector<ExcludedStudent> excluded;
  std::optional<int64_t> excluded_as_of_ms;
};

// Finance (funds.manage) at the cycle's county: a batch of every student of
// the term's approved lists who has no line prepared, at the bank or paid for
// the term (a failed line frees its student). Channel "direct" needs the
// student's card (students without one are listed as excluded); "school"
// pays through the school. RULE when nobody is left to pay.
Result<PaymentBatchView> prepare_batch(App& app, store::Store& store, const Actor& actor, int64_t cycle_id, int term,
                                       std::string_view channel);
Result<std::vector<PaymentBatchView>> list_batches(App& app, store::Store& store, const Actor& actor,
                                                   int64_t cycle_id);
// The batch with its lines and, live, the students of its county, term and
// channel still owed and in no batch (the same selection as prepare_batch).
Result<PaymentBatchView> get_batch(App& app, store::Store& store, const Actor& actor, int64_t batch_id);

// The second person (funds.approve, not the one who prepared it) approves a
// PREPARED batch, naming the SM3 of the file they were shown (direct
// channel). The file is written again from today's data first: if a card or
// name changed since preparation the digest differs and the batch must be
// cancelled and prepared again. Then, in one transaction: the schools'
// approved lists are committed and the commitments posted, each line's
// amount is reserved from its school's payable (pending, split by source),
// the lines go to the bank ("pending").
Result<PaymentBatchView> approve_batch(App& app, store::Store& store, const Actor& actor, int64_t batch_id,
                                       std::string_view file_sm3_seen);
// A PREPARED batch is cancelled (funds.manage or funds.approve); its students
// are free for another batch.
Result<PaymentBatchView> cancel_batch(App& app, store::Store& store, const Actor& actor, int64_t batch_id,
                                      std::string_view reason);

struct BatchFile {
  std::string bytes;
  std::string file_name;
  std::string content_type;
};
// The bank payment file of an approved direct batch, "csv" or "xlsx"
// (funds.manage; audited: it holds full card numbers). Refused when today's
// data no longer gives the approved bytes (digest checked).
Result<BatchFile> batch_file(App& app, store::Store& store, const Actor& actor, int64_t batch_id,
                             std::string_view format);

struct ReturnReport {
  int64_t matched_success = 0, matched_failure = 0, unknown_line = 0, amount_mismatch = 0, already_settled = 0;
  int64_t rejected_rows = 0;
  std::string paid, failed;  // yuan, of this import
  std::string file_sm3;
  // Lines reported and ignored (unknown, amount differs) and rows not read.
  struct Item {
    long row = 0;
    std::string line_no, problem;
  };
  std::vector<Item> problems;
  PaymentBatchView batch;
};
// Finance imports the bank's return file (CSV or XLSX bytes) for a direct
// batch: succeeded lines are posted (paid, with the bank's reference and
// date), failed ones voided (back to "to pay" with the reason). A second
// import of the same file changes nothing; unknown lines and amounts that
// differ are reported and change nothing.
Result<ReturnReport> import_bank_return(App& app, store::Store& store, const Actor& actor, int64_t batch_id,
                                        std::string_view file_name, std::string_view bytes);

// Through the school (funds.school_pay, the line's school): the school
// records one line as paid (with its payment reference and date) or not paid
// (with the reason: the line is voided, the student back to "to pay").
Result<PaymentLineView> record_school_payment(App& app, store::Store& store, const Actor& actor, int64_t line_id,
                                              bool paid, std::string_view reference, std::string_view processed_on,
                                              std::string_view reason);

// A school's lines of the cycle in batches paid through the school (the
// school itself, funds.school_pay): what it has to pay and record.
Result<std::vector<PaymentLineView>> school_payment_lines(App& app, store::Store& store, const Actor& actor,
                                                          int64_t cycle_id);

// Finance returns a failed line's money to the county (the student left, the
// school could not pay): the line becomes "returned" and the student is not
// paid for that term by any later batch. Its transfer id is derived from the
// line: a retry changes nothing.
Result<PaymentLineView> return_failed_line(App& app, store::Store& store, const Actor& actor, int64_t line_id,
                                           std::string_view reason);

// Finance returns a school's surplus of a cycle to the county (a smaller list
// after an adjustment): at most what the school's payable holds beyond what
// its approved lists still owe (entries not paid, at the bank or returned —
// failed lines included), with the reason (kept in the audit log: an
// auditor asks why money went back). Idempotent by transfer id.
Result<FundTransferView> return_remainder(App& app, store::Store& store, const Actor& actor, int64_t transfer_id,
                                          int64_t cycle_id, std::string_view school_code, Fen amount,
                                          std::string_view reason);

}  // namespace zizhu::app
