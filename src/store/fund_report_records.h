// Records of the fund-use publication and the audit report (funds.md
// "Publishing and audit", migration 15, docs/funds.md "Fund-use publication
// and audit report") as the store keeps and aggregates them. Plain data; what
// the figures mean is app/fund_reports.cc's. Money is whole fen.
#pragma once

#include <cstdint>
#include <string>

namespace zizhu::store {

// A fund-use publication as published: the figures frozen as canonical JSON
// and the SM3 of exactly those bytes. Never changed, never deleted (triggers).
struct FundPublication {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t county_id = 0;
  int64_t published_at_ms = 0;
  int64_t published_by = 0;
  std::string content;      // canonical JSON ("zizhu-fund-use-1")
  std::string content_sm3;  // lower-case hex of SM3(content)
  std::string county_code, county_name;  // read only
};

// The transfers' amounts grouped by what they are. A post or void is
// reported with the cycle and source of the pending transfer it resolves,
// and a correction with the code, cycle, source and debit account kind of
// the transfer it corrects (`code` stays "correction", `of_code` names the
// corrected one's), so that a correction can be taken off what it undoes.
struct TransferSum {
  std::string code;         // receipt, allocation, commitment, payment, return, correction
  std::string of_code;      // a correction: the corrected transfer's code; else = code
  std::string state;        // posted (single phase), pending_open, pending_resolved, post, void
  std::string source;       // the transfer's (or its pending's / corrected one's) `source`
  std::string debit_kind;   // ledger_account_kind_key of the debit account (of the corrected one)
  std::string credit_kind;  // ... of the credit account
  bool has_cycle = false;   // the (effective) cycle_id is set
  int64_t count = 0;
  int64_t amount_fen = 0;
};

// One account's posted movements before and within a period (posted: single
// phase transfers and posts of pending ones; pending and void never move a
// posted balance).
struct AccountMovement {
  int64_t account_id = 0;
  int64_t org_id = 0;
  std::string org_code, org_name, org_kind;
  std::string kind;  // ledger_account_kind_key
  int64_t debits_before_fen = 0, credits_before_fen = 0;
  int64_t debits_in_fen = 0, credits_in_fen = 0;
  // Now, for reference: what is reserved (pending) on the account.
  int64_t debits_pending_fen = 0, credits_pending_fen = 0;
};

// Paid payment lines (status 'paid') of a cycle per school and level;
// level 0 is the school's row over all levels (a student paid in both terms,
// or at two levels after an adjustment, counts once there).
struct PaidBySchoolLevel {
  int64_t school_id = 0;
  std::string school_code, school_name;
  int level = 0;
  int64_t students = 0;  // distinct students
  int64_t lines = 0;     // payment lines (student × term)
  int64_t amount_fen = 0;
};

// A payment line as the audit report lists it: masked 学籍号 only.
struct AuditPaymentRow {
  int64_t line_id = 0;
  std::string batch_no, line_no;
  std::string batch_state;
  std::string channel;
  int64_t cycle_id = 0;
  int term = 1;
  std::string school_code, school_name;
  std::string student_no_masked;
  int level = 0;
  int64_t amount_fen = 0;
  std::string status;
  std::string bank_ref, processed_on;
  int64_t filing_id = 0;
  int64_t approved_at_ms = 0;  // 0: the batch is not approved
  int64_t settled_at_ms = 0;   // 0: not settled
};

// One transfer as the audit report lists it (no personal data in a transfer).
struct AuditTransferRow {
  int64_t seq = 0, id = 0;
  std::string code, state;
  std::string debit_org_code, debit_kind, credit_org_code, credit_kind;
  int64_t amount_fen = 0;
  int64_t cycle_id = 0;  // 0: none
  std::string source, budget_doc;
  int64_t pending_id = 0, corrects_id = 0;
  int64_t timestamp_ms = 0;
};

// A receipt or an allocation as finance lists them (GET /funds/receipts,
// /funds/allocations): the transfer with the organisations and kinds of both
// accounts, who booked it, and (receipts) what corrections took back.
struct FundTransferRow {
  int64_t id = 0;
  std::string code;
  std::string debit_org_code, debit_org_name, debit_kind;
  std::string credit_org_code, credit_org_name, credit_kind;
  int64_t amount_fen = 0;
  int64_t corrected_fen = 0;  // the sum of corrections naming it
  int64_t cycle_id = 0;       // 0: none
  std::string source, budget_doc;
  std::string username;  // "" for the system
  int64_t timestamp_ms = 0;
};

struct FundTransferPage {
  int64_t total = 0;
  std::vector<FundTransferRow> rows;
};

}  // namespace zizhu::store
