// Every route × every role × own and other organisation. The expected grants
// are written out here from aid-cycle.md (not read from the server), so the
// server's table is checked against an independent statement of the rules:
// a role without the permission gets 403; with it, an object of its own
// subtree is reached and one outside gets 404 (never 403: IDs cannot be
// probed); public routes answer everyone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

const GRANTS = {
  sysadmin: ['org.read', 'org.write', 'school.read', 'user.read', 'user.write', 'api_token.manage'],
  auditor: ['org.read', 'school.read', 'audit.read', 'cycle.read', 'funds.read'],
  county_officer: ['org.read', 'school.read', 'student.read', 'student.reveal', 'student.import', 'cycle.read',
    'cycle.manage', 'list.import', 'application.read', 'identify.run', 'list.approve', 'feedback.manage', 'funds.read',
    'funds.approve'],
  finance: ['org.read', 'school.read', 'cycle.read', 'funds.read', 'funds.manage', 'funds.approve'],
  school_officer: ['org.read', 'school.read', 'student.read', 'student.reveal', 'student.import', 'cycle.read',
    'application.read', 'application.write', 'identify.run', 'review.decide', 'followup.write', 'feedback.manage',
    'funds.school_pay'],
  reviewer: ['org.read', 'school.read', 'student.read', 'cycle.read', 'application.read', 'review.vote'],
  guardian: ['guardian.self'],
};

const openapi = JSON.parse(readFileSync(new URL('../../api/openapi.json', import.meta.url)));

let server;
const clients = {};
before(async () => {
  server = await startServer();
  for (const role of Object.keys(GRANTS)) {
    clients[role] = new Client(server.base);
    await clients[role].login(user(server, role));
  }
});
after(async () => { await server?.stop(); });

// Objects inside and outside each role's subtree, from the demo's credentials
// file. A school user's "other" is a school of the same county; a county
// user's is a school of the other county.
function targets(role, pattern) {
  const o = server.creds.objects;
  const atSchool = ['school_officer', 'reviewer', 'guardian'].includes(role);
  if (pattern.includes('/students/{id}')) {
    return { own: o.student_own, other: atSchool ? o.student_other_school : o.student_other_county };
  }
  if (pattern.includes('/schools/{code}')) {
    return { own: o.school_own, other: atSchool ? o.school_other : o.school_other_county };
  }
  if (pattern.includes('/users/{id}')) return { own: o.user_victim, other: o.user_other_county };
  if (pattern.includes('/api-tokens/{id}')) return { own: o.api_token_own, other: o.api_token_other_county };
  // Every role's "other" cycle is the other county's: a school sees its own
  // county's cycle only.
  if (pattern.includes('/cycles/{id}')) return { own: o.cycle_own, other: o.cycle_other_county };
  if (pattern.includes('/notices/{id}')) return { own: o.notice_own, other: o.notice_other_county };
  // The public sees an announcement while it runs (the other county's, today)
  // and not once it has ended (the own county's, last year).
  if (pattern.includes('/public/announcements/{id}')) {
    return { own: o.announcement_other_county, other: o.announcement_own };
  }
  if (pattern.includes('/announcements/{id}')) return { own: o.announcement_own, other: o.announcement_other_county };
  if (pattern.includes('/public/objections/{receipt}')) {
    return { own: o.objection_receipt_other_county, other: 'no-such-receipt' };
  }
  if (pattern.includes('/objections/{id}')) return { own: o.objection_own, other: o.objection_other_county };
  if (pattern.includes('/filings/{id}')) return { own: o.filing_own, other: o.filing_other_county };
  // Feedback: anyone follows an item by its receipt code; staff reach the
  // items of their school (a school user's "other" is the other school's).
  if (pattern.includes('/public/feedback/{code}')) return { own: o.feedback_receipt, other: 'no-such-receipt' };
  if (pattern.includes('/feedback/{id}')) {
    return { own: o.feedback_own, other: atSchool ? o.feedback_other_school : o.feedback_other_county };
  }
  if (pattern.includes('/evidence/{id}')) {
    return { own: o.evidence_own, other: atSchool ? o.evidence_other_school : o.evidence_other_county };
  }
  if (pattern.includes('/applications/{id}')) {
    return { own: o.application_own, other: atSchool ? o.application_other_school : o.application_other_county };
  }
  // Payment batches and lines: the demo pays only in the other county (the
  // own county's ledger stays empty for the funds tests), so only "out of
  // reach" is checked here; year.test.mjs walks the own county's batches by role.
  if (pattern.includes('/payment-batches/{id}')) return { other: o.payment_batch_other_county };
  if (pattern.includes('/payment-lines/{id}')) return { other: o.payment_line_failed_other_county };
  // Background identification jobs live in the server's memory (the demo
  // starts none): only "out of reach" here; identification.test.mjs starts
  // jobs and checks who may watch which.
  if (pattern.includes('/identification-jobs/{id}')) return { other: 999999 };
  // The audit report is of a county named in the query (a county user's own
  // by default): the other county's is out of reach.
  if (pattern === '/api/v1/funds/audit-report') {
    const period = '?from=2026-01-01&to=2026-12-31';
    return { own: period, other: `${period}&county=${server.creds.other_county_code}` };
  }
  return null;
}

// Bodies that pass the handlers' own parsing, so that the answer shows the
// authorisation and scope checks (a malformed body would be 400 first).
// A bank card change gets a new card each time (the same card again is 422).
let cardSerial = 0;
function bodyFor(pattern) {
  const o = server.creds.objects;
  const family = { household_size: 3, household_income: '9000.00' };
  if (pattern.endsWith('/reveal')) return { reason: '核对家庭信息' };
  if (pattern.endsWith('/bank-card')) return { bank_card: `62284800000000${10000 + cardSerial++}`, reason: '家长更换了银行卡' };
  if (pattern.endsWith('/roles')) return { roles: ['reviewer'] };
  if (pattern.endsWith('/policy')) return { toml: 'school_year = "2026-2027"' };
  if (pattern.endsWith('/budgets')) return { budgets: [{ school_code: o.school_own, budget: '1000.00' }] };
  if (pattern.endsWith('/dates')) return { applications_open_on: '2026-01-01', applications_close_on: '2027-08-31' };
  if (pattern === '/api/v1/cycles/{id}/applications') return { student_id: o.student_own, ...family };
  if (pattern.endsWith('/applications/{id}')) return family;
  if (pattern === '/api/v1/notices') return { title: '通知', body: '正文' };
  if (pattern.endsWith('/panel')) return { usernames: ['reviewer', 'reviewer2'] };
  if (pattern.endsWith('/objections/{id}/answer')) return { upheld: false, answer: '经核实，维持原结果' };
  if (pattern.endsWith('/appeal-decision')) return { upheld: false, decision: '经复核，维持学校答复' };
  if (pattern.endsWith('/filings/{id}/return')) return { reason: '请补充材料' };
  if (pattern === '/api/v1/funds/receipts') {
    return { transfer_id: 9001, source: 'local', amount: '1.00', budget_doc: '财教〔2026〕1号' };
  }
  if (pattern === '/api/v1/funds/allocations') {
    return { transfer_id: 9002, school_code: o.school_own, amount: '1.00' };
  }
  if (pattern.endsWith('/review/votes') || pattern.endsWith('/review/decisions') || pattern.endsWith('/review/revisions')) {
    return { student_id: o.student_own, level: null, reason: '复核' };
  }
  if (pattern.endsWith('/review/resolutions')) return { student_id: o.student_own, flag: 'ID_INVALID', resolution: '已核实' };
  if (pattern.endsWith('/followups')) return { student_id: o.student_own, kind: 'talk', happened_on: '2026-01-05', note: '谈心' };
  if (pattern === '/api/v1/feedback' || pattern === '/api/v1/me/feedback') return { kind: 'feedback', text: '建议' };
  if (pattern.endsWith('/feedback/{id}/assign')) return { owner_username: 'school' };
  if (pattern.endsWith('/feedback/{id}/answer')) return { answer: '已处理' };
  if (pattern.endsWith('/payment-batches/{id}/cancel') || pattern.endsWith('/payment-lines/{id}/return')) {
    return { reason: '学生已转学' };
  }
  if (pattern.endsWith('/school-payment')) return { paid: true, reference: 'R-1', processed_on: '2026-01-05' };
  return {};
}

const SAFE_SKIP = new Set([
  // Would end the session the matrix runs on; logout has its own test.
  'POST /api/v1/auth/logout',
  // Changing a password or enrolling TOTP change the matrix users themselves;
  // auth.test.mjs covers them.
  'POST /api/v1/auth/password', 'POST /api/v1/auth/totp/enrol', 'POST /api/v1/auth/totp/confirm',
  'POST /api/v1/auth/totp/verify', 'POST /api/v1/auth/login',
  // A roster or list upload is not a JSON body; students.test.mjs and
  // cycles.test.mjs cover them by role.
  'POST /api/v1/students/import', 'POST /api/v1/cycles/{id}/lists',
  // Evidence uploads are file bodies; cycles.test.mjs covers them by role.
  'POST /api/v1/applications/{id}/evidence', 'POST /api/v1/me/applications/{id}/evidence',
  // Removing the demo's evidence would change what the download rows answer.
  'POST /api/v1/evidence/{id}/remove', 'POST /api/v1/me/evidence/{id}/remove',
  // Would close the cycle the application routes below are checked in;
  // cycles.test.mjs covers it by role and state.
  'POST /api/v1/cycles/{id}/close-applications',
  // Public writes are rate-limited per address; school_list.test.mjs covers them.
  'POST /api/v1/public/announcements/{id}/objections', 'POST /api/v1/public/objections/{receipt}/appeal',
  // followups.test.mjs covers public feedback, its rate limit included.
  'POST /api/v1/public/feedback',
  // Disabling the victim before other routes use it would change their answers.
  'POST /api/v1/users/{id}/disable',
]);

test('every described route answers each role as the rules say', async () => {
  const failures = [];
  let checked = 0;
  for (const [pattern, methods] of Object.entries(openapi.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const key = `${method.toUpperCase()} ${pattern}`;
      if (SAFE_SKIP.has(key)) continue;
      const permission = op['x-permission'];
      for (const role of Object.keys(GRANTS)) {
        const c = clients[role];
        const granted = permission === 'public' || permission === 'session' || GRANTS[role].includes(permission);
        const t = targets(role, pattern);
        const cases = t ? [['own', t.own], ['other', t.other]].filter(([, v]) => v !== undefined) : [['none', null]];
        for (const [which, id] of cases) {
          const path = !t ? pattern : pattern.includes('{') ? pattern.replace(/\{[a-z_]+\}/, String(id)) : pattern + id;
          const r = method === 'get' ? await c.get(path) : await c.request(method.toUpperCase(), path, { json: bodyFor(pattern) });
          checked++;
          let ok;
          if (!granted) ok = r.status === 403;
          else if (which === 'other') ok = r.status === 404;
          else ok = ![401, 403, 404, 405, 500].includes(r.status);
          if (!ok) failures.push(`${role} ${key} (${which}): ${r.status} ${r.text.slice(0, 120)}`);
        }
      }
    }
  }
  assert.ok(checked > 150, `checked ${checked}`);
  assert.deepEqual(failures, []);
});

test('list filters cannot reach outside the scope', async () => {
  const o = server.creds.objects;
  const school = clients.school_officer;
  const other = await school.get(`/api/v1/students?school_code=${o.school_other}`);
  assert.equal(other.status, 200);
  assert.equal(other.data.total, 0);
  const own = await school.get(`/api/v1/students?school_code=${o.school_own}&page_size=5`);
  assert.ok(own.data.total > 0);
  const all = await school.get('/api/v1/students?page_size=500');
  assert.ok(all.data.items.every((s) => s.school_code === o.school_own));
  const county = clients.county_officer;
  const outside = await county.get(`/api/v1/students?school_code=${o.school_other_county}`);
  assert.equal(outside.data.total, 0);
  const users = await clients.sysadmin.get('/api/v1/users?page_size=500');
  assert.ok(users.data.items.every((u) => u.org_code !== server.creds.other_county_code));
});

test('the guardian sees only their own children', async () => {
  const r = await clients.guardian.get('/api/v1/me/children');
  assert.equal(r.status, 200);
  assert.ok(r.data.items.length >= 1);
  assert.ok(r.data.items.every((s) => server.creds.objects.guardian_children.includes(s.id)));
});
