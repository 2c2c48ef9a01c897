// Publishing and audit (funds.md "Publishing and audit", issue 6 item 5;
// docs/funds.md "Fund-use publication and audit report"): the fund-use
// figures of a cycle (资金公示) — per source the money received, allocated,
// paid and returned, and per school and level the students paid — frozen as
// canonical JSON with its SM3 when finance publishes them, and shown to the
// public without any personal data; and the audit report of a period as a
// workbook of several sheets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

// Newest publications the public endpoint answers at most.
inline constexpr int64_t kPublicFundPublicationsMax = 100;
// Rows of the audit report's detail sheets at most (then: a shorter period).
inline constexpr int64_t kAuditRowsMax = 100'000;
// Days an audit report may cover at most.
inline constexpr int kAuditPeriodDaysMax = 1096;

struct DonorFigures {
  std::string name;
  int64_t received_fen = 0;                // receipts of the cycle
  int64_t received_without_cycle_fen = 0;  // receipts that name no cycle
};

struct SourceFigures {
  std::string key, label;                  // central / 中央财政, ...
  int64_t received_fen = 0;                // receipts of the cycle, less their corrections
  int64_t received_without_cycle_fen = 0;  // receipts of the county naming no cycle
  int64_t paid_fen = 0;                    // posted payment shares of the cycle from this source
  int64_t paying_fen = 0;                  // payment shares at the bank (pending)
  int64_t returned_fen = 0;                // returns of the cycle naming this source
  std::vector<DonorFigures> donors;        // the donor source only, by name
};

struct LevelFigures {
  int level = 0;
  std::string label;
  int64_t students = 0, amount_fen = 0;
};

struct SchoolFigures {
  std::string school_code, school_name;
  int64_t students = 0, amount_fen = 0;  // over all levels (a student counts once)
  std::vector<LevelFigures> levels;
};

struct FundUse {
  int64_t cycle_id = 0;
  std::string county_code, county_name, school_year, cycle_name;
  int64_t as_of_ms = 0;
  std::vector<SourceFigures> sources;  // the five kinds, in order
  SourceFigures totals;                // key "total"
  int64_t allocated_fen = 0;           // allocations of the cycle to schools (not per source: the 专户 pools them)
  int64_t allocated_without_cycle_fen = 0;
  int64_t returned_unattributed_fen = 0;  // returns of the cycle naming no source kind
  std::vector<SchoolFigures> schools;
  int64_t students_paid = 0;
};

// The figures now, for a county or province user with funds.read (the
// cycle's county in scope). No personal data.
Result<FundUse> fund_use(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);

// The canonical JSON of the figures ("zizhu-fund-use-1": fixed key order,
// money in whole fen).
std::string fund_use_json(const FundUse& f);

struct FundPublicationView {
  int64_t id = 0;
  int64_t cycle_id = 0;
  std::string county_code, county_name;
  int64_t published_at_ms = 0;
  std::string content;      // exactly the bytes whose SM3 is content_sm3
  std::string content_sm3;
};

// Finance at the cycle's county (funds.manage): freezes the figures now as a
// publication (audited "funds.publish").
Result<FundPublicationView> publish_fund_use(App& app, store::Store& store, const Actor& actor, int64_t cycle_id);

// For everyone, no login: the newest publications (of one county when
// given; an unknown code answers none).
Result<std::vector<FundPublicationView>> public_fund_publications(App& app, store::Store& store,
                                                                  const std::optional<std::string>& county_code);

struct AuditReportFile {
  std::string bytes;     // .xlsx
  std::string filename;  // audit-<county>-<from>-<to>.xlsx
  std::string sm3;       // of the bytes (in the audit record)
  int64_t transfers = 0, payments = 0;
};

// funds.read (auditor, county officer, finance): the county's transfers of
// the period [from, to] (dates in China) summed by code and source, every
// account's opening, movements and closing balance, the payment lines of the
// period and every transfer, as XLSX. A county user reports on their county
// (`county_code` may be omitted); above a county, it must be given. The
// download is audited ("funds.audit_report").
Result<AuditReportFile> audit_report(App& app, store::Store& store, const Actor& actor,
                                     const std::optional<std::string>& county_code, std::string_view from,
                                     std::string_view to);

}  // namespace zizhu::app
