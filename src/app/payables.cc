#include "app/payables.h"

#include "app/cycles.h"
#include "app/errors.h"
#include "app/list_snapshot.h"
#include "app/school_list.h"

namespace zizhu::app {

namespace {

// The entries of a frozen snapshot that pay in `term`.
Result<void> add_lines(const store::Filing& f, int term, std::vector<PayableLine>& out, int64_t& total_fen) {
  auto entries = read_list_snapshot(f.snapshot, f.id);
  if (!entries) return tl::unexpected(entries.error());
  for (auto& e : *entries) {
    const SnapshotTerm& t = e.terms[term - 1];
    if (!t.level || t.amount_fen <= 0) continue;
    PayableLine line;
    line.filing_id = f.id;
    line.school_code = f.school_code;
    line.school_name = f.school_name;
    line.student_id = e.student_id;
    line.student_no_masked = std::move(e.student_no_masked);
    line.name = std::move(e.name);
    line.grade = e.grade;
    line.class_name = std::move(e.class_name);
    line.level = *t.level;
    line.amount_fen = t.amount_fen;
    total_fen += line.amount_fen;
    out.push_back(std::move(line));
  }
  return {};
}

}  // namespace

Result<TermPayables> term_payables(App&, store::Store& store, const Actor& actor, int64_t cycle_id, int term) {
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (term != 1 && term != 2) return field_error("BAD_VALUE", "学期须为 1 或 2", "term");
  auto schools = store.schools_under(cycle->county_path);
  if (!schools) return tl::unexpected(schools.error());
  TermPayables out;
  out.cycle_id = cycle_id;
  out.term = term;
  for (const auto& school : *schools) {
    auto filings = store.filings_of(cycle_id, school.org_id);
    if (!filings) return tl::unexpected(filings.error());
    const store::Filing* newest = nullptr;
    for (const auto& f : *filings) {
      if (f.state == "APPROVED") newest = &f;  // oldest first: the last approved is the newest
    }
    if (newest == nullptr) {
      auto candidates = school_candidates(store, cycle_id, school);
      if (!candidates) return tl::unexpected(candidates.error());
      if (!candidates->empty()) out.schools_not_approved.push_back(school.name);
      continue;
    }
    if (auto ok = add_lines(*newest, term, out.lines, out.total_fen); !ok) return tl::unexpected(ok.error());
  }
  return out;
}

}  // namespace zizhu::app
