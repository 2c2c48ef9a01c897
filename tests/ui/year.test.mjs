// The whole school year in the browser, as issue 7's "Done when" asks
// (tests/ui/steps/world.mjs tells the story): the county sets up the cycle
// and imports a department's list → a guardian applies on a phone → the
// county runs the identification, the panel votes, the school decides and
// announces → the guardian reads the decision → someone objects on the
// public page, the school answers → the school files and the county approves
// → the school enters the guardians' cards, finance pays, the bank's return
// has one failure, the card is fixed and the student repaid → the fund-use
// page shows it; then the administration and oversight pages (users, the
// audited reveal, the audit log, follow-up, feedback, the dashboard).
//
// Every step drives the UI of the real roles (tests/ui/steps/*.mjs); between
// steps the only API call is moving the server's clock (--test-clock). The
// checks after the walk read the server through the API, to prove the pages
// did what they showed. Any console error, page error, failed request or
// 5xx fails the test (the refusals a step provokes on purpose excepted, each
// once, and each must have happened); every page visited is saved as a
// screenshot under ZIZHU_UI_OUT.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, user } from '../api/harness.mjs';
import { ROOT, startBrowserTest, unexcusedProblems } from './browser.mjs';
import { serverTotp } from './steps/session.mjs';
import { newWorld, YEAR_SERVER_ARGS } from './steps/world.mjs';
import * as cycle from './steps/cycle.mjs';
import * as portal from './steps/portal.mjs';
import * as review from './steps/review.mjs';
import * as pub from './steps/public.mjs';
import * as admin from './steps/admin.mjs';
import * as funds from './steps/funds.mjs';

let t;
let w;
before(async () => {
  t = await startBrowserTest({
    serverArgs: YEAR_SERVER_ARGS,
    out: process.env.ZIZHU_UI_OUT || join(ROOT, 'build/ui-screenshots/year'),
    // A download link: Chromium hands the response to the download manager
    // and reports the navigation as aborted; the file itself is checked.
    allowFailure: (r) => /\/payment-batches\/\d+\/file\?/.test(r.url()) && r.failure()?.errorText === 'net::ERR_ABORTED',
  });
  w = newWorld(t);
});
after(() => t?.stop());

// An API client of `key` on the server's clock, for the checks after the walk.
async function as(key) {
  const u = user(t.server, key);
  const c = new Client(t.server.base);
  const r = await c.post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.equal(r.status, 200, r.text);
  c.csrf = r.data.csrf_token;
  if (r.data.stage === 'totp') {
    const v = await c.post('/api/v1/auth/totp/verify', { code: await serverTotp(w, u) });
    assert.equal(v.status, 200, v.text);
  }
  return c;
}

// The refusals the steps provoked on purpose (w.provoked): excused once
// each, and each must have happened.
function unexcused(problems) { return unexcusedProblems(problems, w.provoked); }

test('the whole year in the browser, every role', async () => {
  // Nobody logs in before the clock is set: the first step moves it.
  await cycle.setUp(t, w);            // 2024-08-26 county: cycle, policy, budgets, dates, open
  await cycle.importList(t, w);       //            county: template, a bad file, the 低保 list
  await portal.apply(t, w);           // 2024-09-03 guardian on a phone, with evidence
  await cycle.closeApplications(t, w);// 2024-09-14 county
  await cycle.identify(t, w, { as: 'school_officer' }); // 2024-09-18 school: its run, results, an explanation
  await review.vote(t, w);            //            school names the panel; three vote; decisions
  await review.announce(t, w);        // 2024-09-26 school: preview, publish, PDF/XLSX
  await portal.seeDecision(t, w);     //            guardian reads the decision and the reason
  await pub.object(t, w);             // 2024-09-27 someone on a phone objects
  await review.answer(t, w);          //            school answers
  await review.file(t, w);            // 2024-10-14 school files; county sees every school, approves
  await admin.bankCards(t, w);        //            school enters the listed pupils' cards
  await funds.pay(t, w);              // 2024-10-15 finance/county: pay, return, fix, repay, publish
  await admin.users(t, w);            //            sysadmin: users, roles, an API token
  await admin.studentReveal(t, w);    //            county: the audited reveal
  await admin.auditCheck(t, w);       //            auditor: the log, the chain
  await admin.followUp(t, w);         //            school: a follow-up from the missing list
  await admin.feedback(t, w);         //            county: feedback answered and closed
  await admin.dashboard(t, w);        //            county: the year's charts

  // --- what the server holds after the walk ----------------------------------
  const county = await as('county_officer');
  const made = (await county.get(`/api/v1/cycles/${w.cycle}`)).data;
  assert.equal(made.school_year, '2024-2025');
  assert.equal(w.listed.length, 2);
  assert.equal(w.funded.length, 3, 'the two listed pupils and the guardian\'s child');
  assert.ok(w.funded.includes(w.objects.guardian_children[0]));
  assert.match(w.guardianSaw.result, /获得资助/);
  assert.ok(w.receipt, 'the objection\'s receipt');

  const filing = (await county.get(`/api/v1/filings/${w.filing.id}`)).data;
  assert.equal(filing.state, 'APPROVED');

  const fin = await as('finance');
  const batches = await Promise.all(w.batches.map(async (id) => (await fin.get(`/api/v1/payment-batches/${id}`)).data));
  assert.ok(batches.every((b) => b.state === 'SETTLED'), batches.map((b) => b.state).join());
  const [first, second] = batches;
  assert.equal(first.status_counts.failed, 1, 'the bank failed one line');
  assert.equal(second.lines.length, 1);
  assert.equal(second.lines[0].name, w.failedLine.name, 'the failed student repaid in the next batch');
  assert.equal(second.status_counts.paid, 1);
  // Each funded student with a card and a guardian's name is paid once for
  // term 1 (a pupil the demo left without a guardian's name is listed as
  // excluded when the batch is prepared, and stays to pay).
  const paid = batches.flatMap((b) => b.lines.filter((l) => l.status === 'paid'));
  assert.equal(new Set(paid.map((l) => l.student_id)).size, paid.length, 'nobody paid twice');
  const paidFen = paid.reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0);
  const pubs = (await new Client(t.server.base).get('/api/v1/public/fund-publications')).data.items;
  const mine = pubs.find((p) => p.cycle_id === w.cycle);
  assert.ok(mine, 'the fund-use publication is public');
  assert.equal(mine.figures.totals.paid_fen, paidFen, 'the public page\'s paid figure is what the bank paid');

  const auditor = await as('auditor');
  assert.equal((await auditor.get('/api/v1/audit/verify')).data.intact, true, 'the audit chain holds');
  const g = await as('guardian');
  const outcome = (await g.get(`/api/v1/me/applications/${w.application}`)).data.outcome;
  assert.equal(outcome.stage, 'filed', 'the guardian sees the list filed');

  assert.deepEqual(unexcused(t.problems), []);
});
