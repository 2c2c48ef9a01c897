// The administration and oversight pages of issue 7 (docs/web.md,
// "Administration pages") in real Chromium on a desktop viewport, against the
// demo's data: the steps of tests/ui/steps/admin.mjs (users; the student
// search and the audited reveal; the audit log showing that reveal and the
// chain verified; a follow-up recorded from the missing list of the demo's
// past cycle; a feedback answered and closed; the dashboard's charts), each
// then checked against the API. What earlier year-walk steps would have put
// in `w` comes from the demo here. Any console error, page error, failed
// request or 5xx fails the test; every page is saved as a screenshot.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, user } from '../api/harness.mjs';
import { startBrowserTest } from './browser.mjs';
import * as admin from './steps/admin.mjs';
import { newWorld } from './steps/world.mjs';

let t;
let w;
const api = {};
async function as(key) {
  if (!api[key]) {
    api[key] = new Client(t.server.base);
    await api[key].login(user(t.server, key));
  }
  return api[key];
}

before(async () => {
  t = await startBrowserTest();
  w = newWorld(t);
  // The earlier steps' part of the world: the demo's past cycle of the own
  // county (decided, filed), and its funded students.
  w.cycle = w.objects.cycle_past_own;
  const missing = await (await as('county_officer')).get(`/api/v1/cycles/${w.cycle}/followups/missing`);
  assert.equal(missing.status, 200, missing.text);
  const board = await (await as('county_officer')).get(`/api/v1/cycles/${w.cycle}/dashboard`);
  w.funded = [];
  for (const s of board.data.schools) {
    const review = await (await as('county_officer')).get(`/api/v1/cycles/${w.cycle}/review?school_code=${s.school_code}`);
    if (review.status === 200) w.funded.push(...review.data.items.filter((x) => x.decision && x.decision.level !== null).map((x) => x.student_id));
  }
  assert.equal(w.funded.length, missing.data.funded, 'the funded students, two ways');
});
after(async () => { await t?.stop(); });

test('users: the organisation tree, a new user with its one-time password, roles, disabled after a confirmation; an API token', async () => {
  await admin.users(t, w);
  const sys = await as('sysadmin');
  const found = await sys.get(`/api/v1/users?username=${w.newUser.username}`);
  assert.equal(found.data.total, 1);
  const u = found.data.items[0];
  assert.equal(u.org_code, w.objects.school_own);
  assert.deepEqual([...u.roles].sort(), ['reviewer', 'school_officer']);
  assert.equal(u.disabled, true);
  assert.equal(u.must_change_password, true);
  // The password shown once is the one that works (refused now only because the account is disabled).
  const login = await new Client(t.server.base).post('/api/v1/auth/login', { username: u.username, password: w.newUser.password });
  assert.equal(login.data?.error?.code, 'ACCOUNT_DISABLED', login.text);
  const wrong = await new Client(t.server.base).post('/api/v1/auth/login', { username: u.username, password: 'not-the-password-1A' });
  assert.equal(wrong.data?.error?.code, 'BAD_CREDENTIALS', wrong.text);
  // The token was real and is revoked: the API refuses it.
  const tokens = (await sys.get('/api/v1/api-tokens')).data.items;
  const token = tokens.find((x) => x.name === w.apiToken.name);
  assert.deepEqual(token.scopes, ['list.import']);
  assert.notEqual(token.revoked_at_ms, null);
  const used = await fetch(`${t.server.base}/api/v1/schools`, { headers: { authorization: `Bearer ${w.apiToken.secret}` } });
  assert.equal(used.status, 401);
});

test('students: the search form, masked rows, the audited reveal', async () => {
  await admin.studentReveal(t, w);
  const audit = await (await as('auditor')).get('/api/v1/audit?action=student.reveal&username=county');
  assert.ok(audit.data.items.some((r) => r.summary.includes(w.revealed.reason)), 'the reveal is in the audit log with its reason');
});

test('audit: the reveal in the log, the login log, the chain verified', async () => {
  await admin.auditCheck(t, w);
  const verify = await (await as('auditor')).get('/api/v1/audit/verify');
  assert.equal(verify.data.intact, true);
});

test('follow-up: recorded from the missing list of the past cycle', async () => {
  const before = (await (await as('school_officer')).get(`/api/v1/cycles/${w.cycle}/followups/missing`)).data;
  await admin.followUp(t, w);
  const so = await as('school_officer');
  const after = (await so.get(`/api/v1/cycles/${w.cycle}/followups/missing`)).data;
  assert.equal(after.total, before.total - 1);
  const records = (await so.get(`/api/v1/cycles/${w.cycle}/followups`)).data.items;
  assert.equal(records.length, 1);
  assert.equal(records[0].student_name, w.followup.studentName);
  assert.equal(records[0].kind, 'study_living');
  assert.equal(records[0].term, before.term);
});

test('feedback: one entered for a caller, one answered and closed', async () => {
  await admin.feedback(t, w);
  const status = await new Client(t.server.base).get(`/api/v1/public/feedback/${w.feedbackReceipt}`);
  assert.equal(status.status, 200, status.text);
  assert.equal(status.data.status, 'OPEN');
  const item = (await (await as('county_officer')).get(`/api/v1/feedback/${w.feedbackClosed}`)).data;
  assert.equal(item.status, 'CLOSED');
  assert.match(item.answer, /界面测试/);
});

test('dashboard: the charts drawn with the figures the API gives', async () => {
  await admin.dashboard(t, w);
  const d = (await (await as('county_officer')).get(`/api/v1/cycles/${w.cycle}/dashboard`)).data;
  const total = (k) => d.schools.reduce((n, s) => n + s[k], 0);
  assert.equal(w.dashboard.applications, String(total('applications')));
  assert.equal(w.dashboard.funded, String(total('funded')));
  assert.equal(w.dashboard.coverage, `${total('priority_funded')} / ${total('priority')}`);
  assert.ok(total('funded') > 0, 'real numbers: the past cycle funds students');
});

// The refusals the steps provoked (w.provoked) are excused once each, and
// each must have happened; anything else is a problem.
test('no console error, failed request or server error on any page', () => {
  const left = [...t.problems];
  for (const p of w.provoked ?? []) {
    const i = left.findIndex((x) => {
      const m = x.match(/^console error on (\S+): Failed to load resource: .* status of (\d+)/);
      return m && p.page.test(m[1]) && Number(m[2]) === p.status;
    });
    assert.ok(i >= 0, `the provoked ${p.status} on ${p.page} happened`);
    left.splice(i, 1);
  }
  assert.deepEqual(left, []);
});
