// The money part of the year walk in real Chromium (docs/web.md "The
// guardian's decision, objections from the portal, receipts and allocations
// lists"), on the walk's dates (tests/ui/steps/world.mjs). What the other
// areas' steps would make is made here through the API, as
// tests/api/year.test.mjs does: the cycle set up and opened; then the
// 低保 list with two of the school's pupils; the guardian applies on a phone
// (portal.apply); applications close; identification, the panel's votes and
// the school's decisions (three funded at level 3); the 公示; the guardian
// sees the decision and the school's reason (portal.seeDecision); someone
// objects on a phone (public.object); the school dismisses the objection;
// the list is filed and approved; then finance and the county officer pay
// (funds.pay: receipts, allocation, batch, approval, bank file, a failed
// line, the card fixed from the batch, the repayment, reconciliation, the
// fund use published and read on a phone). Any console error, page error,
// failed request or 5xx fails the test; every page is saved under
// ZIZHU_UI_OUT.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, user } from '../api/harness.mjs';
import { on, serverTotp } from './steps/session.mjs';
import { ROOT, startBrowserTest } from './browser.mjs';
import { newWorld, YEAR_SERVER_ARGS } from './steps/world.mjs';
import * as portal from './steps/portal.mjs';
import * as pub from './steps/public.mjs';
import * as funds from './steps/funds.mjs';

let t;
before(async () => {
  t = await startBrowserTest({
    serverArgs: YEAR_SERVER_ARGS,
    out: process.env.ZIZHU_UI_OUT || join(ROOT, 'build/ui-screenshots/money'),
    // A download link: Chromium hands the response to the download manager
    // and reports the navigation as aborted; the file itself is checked.
    allowFailure: (r) => /\/payment-batches\/\d+\/file\?/.test(r.url()) && r.failure()?.errorText === 'net::ERR_ABORTED',
  });
});
after(() => t?.stop());

const CHILD_REASON = '母亲重病，家庭困难，评为三级';

test('the money year: apply, the decision seen, an objection, paid with a failure fixed, published', async () => {
  const w = newWorld(t);
  const o = w.objects;
  // Sessions on the server's clock (see tests/ui/review.test.mjs): each day
  // logs in afresh, with the TOTP code of the server's time.
  const day = (d) => on(w, d);
  async function as(key) {
    const u = user(t.server, key);
    const client = new Client(t.server.base);
    const r = await client.post('/api/v1/auth/login', { username: u.username, password: u.password });
    assert.equal(r.status, 200, r.text);
    client.csrf = r.data.csrf_token;
    if (r.data.stage === 'totp') {
      const v = await client.post('/api/v1/auth/totp/verify', { code: await serverTotp(w, u) });
      assert.equal(v.status, 200, v.text);
    }
    return client;
  }

  // --- cycle.setUp ---------------------------------------------------------
  await day('2024-08-26');
  let county = await as('county_officer');
  const made = await county.post('/api/v1/cycles', { school_year: '2024-2025' });
  assert.equal(made.status, 200, made.text);
  w.cycle = made.data.id;
  assert.equal((await county.put(`/api/v1/cycles/${w.cycle}/dates`,
    { applications_open_on: '2024-09-02', applications_close_on: '2024-09-13' })).status, 200);
  assert.equal((await county.put(`/api/v1/cycles/${w.cycle}/budgets`, {
    budgets: [{ school_code: o.school_own, budget: '3000.00' }, { school_code: o.school_other, budget: '5000.00' }],
  })).status, 200);
  assert.equal((await county.post(`/api/v1/cycles/${w.cycle}/open`, {})).status, 200);
  // cycle.importList: two of the school's pupils on the 民政局's 低保 list.
  const roster = await county.get(`/api/v1/students?school_code=${o.school_own}&page_size=60`);
  const pupils = roster.data.items.filter((s) => !o.guardian_children.includes(s.id));
  const lines = ['身份证号,姓名,类别,有效期起,有效期止,来源部门'];
  w.listed = [];
  for (const s of pupils) {
    if (w.listed.length === 2) break;
    const revealed = await county.post(`/api/v1/students/${s.id}/reveal`, { reason: '核对低保名单' });
    if (!revealed.data.id_number) continue;
    w.listed.push(s.id);
    lines.push(`${revealed.data.id_number},${revealed.data.name},DIBAO,2024-01-01,2025-12-31,`);
  }
  const upload = await county.request('POST', `/api/v1/cycles/${w.cycle}/lists?source=${encodeURIComponent('民政局')}`,
    { body: lines.join('\n') + '\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(upload.data.accepted, 2, upload.text);

  // --- portal.apply (2024-09-03), then two applications the school enters ---
  await portal.apply(t, w);
  assert.ok(w.application > 0);
  await day('2024-09-03');
  let so = await as('school_officer');
  const mine = await so.get(`/api/v1/applications/${w.application}`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.data.student_id, o.guardian_children[0]);
  assert.equal(mine.data.household_income, '9000.00');
  assert.equal(mine.data.serious_illness, true);
  const evidence = await so.get(`/api/v1/applications/${w.application}/evidence`);
  assert.equal(evidence.data.items.length, 1, 'the photo reached the school');

  // --- cycle.closeApplications, cycle.identify, review.vote -----------------
  await day('2024-09-14');
  county = await as('county_officer');
  assert.equal((await county.post(`/api/v1/cycles/${w.cycle}/close-applications`, {})).status, 200);
  await day('2024-09-18');
  county = await as('county_officer');
  const run = await county.post(`/api/v1/cycles/${w.cycle}/identification-runs`, {});
  assert.equal(run.status, 200, run.text);
  so = await as('school_officer');
  const names = ['reviewer', 'reviewer2', 'reviewer3'].map((k) => user(t.server, k).username);
  assert.equal((await so.put(`/api/v1/cycles/${w.cycle}/panel`, { usernames: names })).status, 200);
  const panel = [];
  for (const k of ['reviewer', 'reviewer2', 'reviewer3']) panel.push(await as(k));
  const board = (await so.get(`/api/v1/cycles/${w.cycle}/review`)).data.items.filter((x) => x.candidate);
  assert.equal(board.length, 3, `three candidates: ${board.map((x) => x.student_name).join(', ')}`);
  w.funded = [];
  for (const x of board) {
    for (const flag of x.unresolved_blocking_flags) {
      assert.equal((await so.post(`/api/v1/cycles/${w.cycle}/review/resolutions`,
        { student_id: x.student_id, flag, resolution: '已入户核实' })).status, 200);
    }
    for (const p of panel) {
      const v = await p.post(`/api/v1/cycles/${w.cycle}/review/votes`, { student_id: x.student_id, level: 3 });
      assert.equal(v.status, 200, v.text);
    }
    const reason = x.student_id === o.guardian_children[0] ? CHILD_REASON : '评审小组综合评议';
    const d = await so.post(`/api/v1/cycles/${w.cycle}/review/decisions`, { student_id: x.student_id, level: 3, reason });
    assert.equal(d.status, 200, d.text);
    w.funded.push(x.student_id);
  }

  // --- review.announce --------------------------------------------------------
  await day('2024-09-26');
  so = await as('school_officer');
  const ann = await so.post(`/api/v1/cycles/${w.cycle}/announcements`, {});
  assert.equal(ann.status, 200, ann.text);
  const shown = (await new Client(t.server.base).get(`/api/v1/public/announcements/${ann.data.id}`)).data;
  w.announcement = { id: ann.data.id, starts_on: ann.data.starts_on, ends_on: ann.data.ends_on,
    rows: shown.rows.map((r) => ({ no: r.no, name: r.name, class_name: r.class_name, level: r.level })) };

  // --- portal.seeDecision: the guardian reads the decision and the reason ----
  await portal.seeDecision(t, w);
  assert.match(w.guardianSaw.result, /获得资助：三级（一般困难）/);
  assert.equal(w.guardianSaw.reason, CHILD_REASON);

  // --- public.object, then review.answer (dismissed) ------------------------
  await pub.object(t, w);
  so = await as('school_officer');
  const objections = (await so.get(`/api/v1/cycles/${w.cycle}/objections`)).data.items;
  assert.equal(objections.length, 1);
  assert.equal(objections[0].entry_no, w.objectedRow.no);
  assert.match(objections[0].text, /小汽车/);
  const answered = await so.post(`/api/v1/objections/${objections[0].id}/answer`,
    { upheld: false, answer: '经入户核实，该生家庭确有困难，异议不成立' });
  assert.equal(answered.status, 200, answered.text);

  // --- review.file -------------------------------------------------------------
  await day('2024-10-14');
  so = await as('school_officer');
  const filed = await so.post(`/api/v1/cycles/${w.cycle}/filings`, {});
  assert.equal(filed.status, 200, filed.text);
  county = await as('county_officer');
  const approved = await county.post(`/api/v1/filings/${filed.data.id}/approve`, {});
  assert.equal(approved.status, 200, approved.text);
  w.filing = { id: filed.data.id, entries: filed.data.entries, total: filed.data.total, sm3: filed.data.snapshot_sm3 };
  assert.equal(w.filing.total, '3000.00');
  // The cards the school collected for the listed pupils (the demo's roster
  // has none for them; year.test.mjs does the same before paying). The
  // guardian's child keeps the demo's card, so the bank can fail it.
  let cardSeq = 0;
  for (const id of w.listed) {
    const card = `62220202${String(++cardSeq).padStart(3, '0')}${String(Date.now() % 1e8).padStart(8, '0')}`;
    const r = await so.put(`/api/v1/students/${id}/bank-card`, { bank_card: card, reason: '学校核实监护人银行卡' });
    assert.equal(r.status, 200, r.text);
  }

  // --- funds.pay -----------------------------------------------------------------
  await funds.pay(t, w);
  const fin = await as('finance');
  const [first, second] = await Promise.all(w.batches.map((id) => fin.get(`/api/v1/payment-batches/${id}`)));
  assert.equal(first.data.state, 'SETTLED');
  assert.equal(second.data.state, 'SETTLED');
  // The guardian's child and the listed pupils the school gave a card (the
  // prepare answer may leave a pupil out, e.g. without a guardian's name).
  assert.ok(first.data.lines.length >= 2, `two or more funded students in the first batch (${first.data.lines.length})`);
  assert.equal(first.data.status_counts.failed, 1);
  assert.equal(second.data.status_counts.paid, 1);
  assert.equal(second.data.lines[0].name, w.failedLine.name);
  const paidFen = first.data.lines.reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0);
  const pubs = (await new Client(t.server.base).get('/api/v1/public/fund-publications')).data.items;
  const mineP = pubs.find((p) => p.cycle_id === w.cycle);
  assert.ok(mineP, 'the publication is public');
  assert.equal(mineP.figures.totals.paid_fen, paidFen, 'every student of the list paid, the failed one in the second batch');
  assert.equal(mineP.content_sm3, w.publication.sm3);
  const receipts = (await fin.get(`/api/v1/funds/receipts?cycle_id=${w.cycle}`)).data;
  assert.equal(receipts.total, 2);

  // The guardian's view after filing: 已备案.
  const g = await as('guardian');
  const outcome = (await g.get(`/api/v1/me/applications/${w.application}`)).data.outcome;
  assert.equal(outcome.stage, 'filed');
  assert.equal(outcome.reason, CHILD_REASON);
});

test('no console error, failed request or server error on any page', () => {
  assert.deepEqual(t.problems, []);
});
