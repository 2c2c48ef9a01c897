// The whole year in the browser (issue 7, "Done when"): tests/ui/year.test.mjs
// chains the steps of tests/ui/steps/*.mjs in the order of the story, with
// no API calls between them except moving the server's clock. Each step is
// `async (t, w) => {}`: `t` is startBrowserTest()'s object (browser.mjs), `w`
// the walk's state below, which each step reads and extends. Each area's own
// test (tests/ui/<area>.test.mjs) runs its steps alone, after making what the
// earlier steps would have made through the API.
//
// The story (school year 2024-2025, own county and own school of the demo,
// server started with --test-clock --public-write-rate-per-minute 0):
//   2024-08-26  cycle.setUp        county officer: new cycle, policy checked,
//                                  budgets (own school 3000.00, other 5000.00),
//                                  dates (applications 2024-09-02 … 09-13), open
//               cycle.importList   county officer: template, a bad file (row
//                                  errors), then the 低保 list of 民政局 with
//                                  two of the own school's students
//                                  → w.cycle, w.listed (student ids)
//   2024-09-03  portal.apply       guardian on a phone: applies for
//                                  objects.guardian_children[0] with evidence
//                                  → w.application
//   2024-09-14  cycle.closeApplications   county officer
//   2024-09-18  cycle.identify     school officer runs the identification for
//                                  the school (in the background, its steps
//                                  shown); results; one student's explanation
//               review.vote        school officer names the panel; reviewer,
//                                  reviewer2, reviewer3 vote; the school decides
//                                  (three funded at level 3) → w.funded
//   2024-09-26  review.announce    school officer: preview, publish, PDF/XLSX
//                                  → w.announcement
//   2024-09-27  public.object      someone on a phone objects to a row on the
//                                  public page → w.receipt
//               review.answer      school officer answers (dismissed, reason)
//   2024-10-14  review.file        school officer submits the filing; the
//                                  county officer sees each school's flags and
//                                  statistics and approves → w.filing
//   2024-10-15  funds.pay          finance: receipts, allocation, term-1
//                                  batch; county officer approves; bank file;
//                                  return with one failure; the card fixed;
//                                  the next batch paid; fund use published;
//                                  the public fund-use page shows it
import assert from 'node:assert/strict';

export function newWorld(t) {
  return {
    objects: t.server.creds.objects,
    // Moves the server's clock to 10:00 in China on `day` (YYYY-MM-DD).
    async on(day) {
      const r = await fetch(`${t.server.base}/api/v1/test/clock`, {
        method: 'PUT', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ now_ms: Date.parse(`${day}T10:00:00+08:00`) }),
      });
      assert.equal(r.status, 200, await r.text());
    },
  };
}

// The server arguments every year walk needs.
export const YEAR_SERVER_ARGS = ['--test-clock', '--public-write-rate-per-minute', '0'];
