// The staff dashboard's figures (GET /api/v1/cycles/{id}/dashboard,
// app/dashboard.h): each figure is checked against the routes that show the
// same records row by row — the applications list, the schools' overview,
// the review board, the identification results, the missing follow-ups, the
// payment batches — and the parts behind other permissions are left out for
// roles without them. The own county's open cycle gets two students on the
// 民政局's 低保 list (one applies, one does not), an identification run and
// decisions, so that 应助尽助 has real numbers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
const o = () => server.creds.objects;
before(async () => {
  server = await startServer();
  for (const key of ['county_officer', 'school_officer', 'reviewer', 'reviewer2', 'reviewer3', 'auditor', 'finance',
    'sysadmin', 'county_officer@other']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const dash = (client, cycle) => client.get(`/api/v1/cycles/${cycle}/dashboard`);
const sum = (xs, f) => xs.reduce((n, x) => n + f(x), 0);
const fen = (yuan) => Math.round(Number(yuan) * 100);

test('dashboard: per school, by level and category, 应助尽助, against the row-by-row routes', async () => {
  const cycle = o().cycle_own;
  const county = c.county_officer;
  const so = c.school_officer;

  // Before any run: applications counted, nothing identified or decided.
  const early = await dash(county, cycle);
  assert.equal(early.status, 200, early.text);
  assert.equal(early.data.state, 'OPEN');
  for (const s of early.data.schools) {
    const apps = await county.get(`/api/v1/cycles/${cycle}/applications?school_code=${s.school_code}&page_size=500`);
    assert.equal(s.applications, apps.data.items.filter((a) => a.state === 'SUBMITTED').length, s.school_code);
    assert.equal(s.identified, false);
    assert.equal(s.funded, 0);
  }
  assert.ok(sum(early.data.schools, (s) => s.applications) > 0, 'the demo has applications');

  // Two of the own school's students on the 低保 list: one who applied, one who did not.
  const applied = (await county.get(`/api/v1/cycles/${cycle}/applications?school_code=${o().school_own}&page_size=500`))
    .data.items.filter((a) => a.state === 'SUBMITTED').map((a) => a.student_id);
  const roster = (await so.get(`/api/v1/students?school_code=${o().school_own}&page_size=100`)).data.items;
  const lines = ['身份证号,姓名,类别,有效期起,有效期止,来源部门'];
  const listed = [];
  for (const want of [true, false]) {
    for (const s of roster) {
      if (applied.includes(s.id) !== want || listed.includes(s.id)) continue;
      const shown = await county.post(`/api/v1/students/${s.id}/reveal`, { reason: '核对低保名单' });
      assert.equal(shown.status, 200, shown.text);
      if (!shown.data.id_number) continue;
      listed.push(s.id);
      lines.push(`${shown.data.id_number},${shown.data.name},DIBAO,2026-01-01,2027-12-31,`);
      break;
    }
  }
  assert.equal(listed.length, 2);
  const upload = await county.request('POST', `/api/v1/cycles/${cycle}/lists?source=${encodeURIComponent('民政局')}`,
    { body: lines.join('\n') + '\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(upload.status, 200, upload.text);
  assert.equal(upload.data.accepted, 2);

  // Close, identify, decide: the listed students funded at the level suggested
  // (or 3), one other candidate funded, one more without aid.
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/close-applications`, {})).status, 200);
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/identification-runs`, {})).status, 200);
  assert.equal((await so.put(`/api/v1/cycles/${cycle}/panel`, { usernames: ['reviewer', 'reviewer2', 'reviewer3'] })).status, 200);
  const board = (await so.get(`/api/v1/cycles/${cycle}/review`)).data.items;
  const clean = board.filter((x) => x.unresolved_blocking_flags.length === 0);
  const listedRows = clean.filter((x) => listed.includes(x.student_id));
  assert.ok(listedRows.length >= 1, 'a listed student is a candidate');
  const others = clean.filter((x) => !listed.includes(x.student_id));
  assert.ok(others.length >= 2, 'enough other candidates');
  const plan = [...listedRows.map((x) => [x, x.suggested_level ?? 3]), [others[0], others[0].suggested_level ?? 3], [others[1], null]];
  for (const [x, level] of plan) {
    for (const r of [c.reviewer, c.reviewer2, c.reviewer3]) {
      assert.equal((await r.post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: x.student_id, level })).status, 200);
    }
    const d = await so.post(`/api/v1/cycles/${cycle}/review/decisions`, { student_id: x.student_id, level, reason: '评审小组综合评议' });
    assert.equal(d.status, 200, d.text);
  }

  const r = await dash(county, cycle);
  assert.equal(r.status, 200, r.text);
  const d = r.data;
  const overview = (await county.get(`/api/v1/cycles/${cycle}/schools`)).data.items;
  assert.deepEqual(d.schools.map((s) => s.school_code), overview.map((s) => s.school_code));
  for (const s of d.schools) {
    const v = overview.find((x) => x.school_code === s.school_code);
    for (const k of ['candidates', 'decided', 'funded', 'committed', 'objections_open', 'objections_overdue']) {
      assert.equal(s[k], v[k], `${s.school_code} ${k}`);
    }
    assert.equal(s.identified, true);
  }
  const own = d.schools.find((s) => s.school_code === o().school_own);
  assert.equal(own.funded, listedRows.length + 1);

  // 应助尽助: the identified students are those with categories in the results.
  const results = (await county.get(`/api/v1/cycles/${cycle}/identification-results?page_size=500`)).data.items;
  const identified = results.filter((x) => x.categories.length > 0);
  assert.equal(sum(d.schools, (s) => s.priority), identified.length);
  for (const id of listed) assert.ok(identified.some((x) => x.student_id === id), `listed student ${id} identified`);
  const fundedIds = new Set((await so.get(`/api/v1/cycles/${cycle}/review`)).data.items
    .filter((x) => x.decision && x.decision.level !== null).map((x) => x.student_id));
  const ownIdentified = identified.filter((x) => x.school_code === o().school_own);
  assert.equal(own.priority, ownIdentified.length);
  assert.equal(own.priority_funded, ownIdentified.filter((x) => fundedIds.has(x.student_id)).length);
  assert.ok(own.priority_funded >= listedRows.length);
  // By category: identified with it, and funded with it (null: funded without one).
  for (const k of d.categories) {
    if (k.category === null) {
      const withCategory = new Set(identified.map((x) => x.student_id));
      assert.equal(k.funded, [...fundedIds].filter((id) => !withCategory.has(id)).length, 'funded without a category');
      continue;
    }
    const rows = identified.filter((x) => x.categories.includes(k.category));
    assert.equal(k.priority, rows.length, k.category);
    assert.equal(k.funded, rows.filter((x) => fundedIds.has(x.student_id)).length, k.category);
  }
  assert.ok(d.categories.some((k) => k.category === 'DIBAO' && k.funded >= listedRows.length));
  // By level: the decisions' levels and amounts.
  const decided = (await so.get(`/api/v1/cycles/${cycle}/review`)).data.items.filter((x) => x.decision && x.decision.level !== null);
  assert.equal(sum(d.levels, (l) => l.students), decided.length);
  for (const l of d.levels) assert.equal(l.students, decided.filter((x) => x.decision.level === l.level).length, `level ${l.level}`);
  assert.equal(sum(d.levels, (l) => fen(l.annual)), sum(d.schools, (s) => fen(s.committed)));

  // Follow-ups: the missing list of the current term.
  const missing = (await county.get(`/api/v1/cycles/${cycle}/followups/missing`)).data;
  assert.deepEqual(d.followups, { term: missing.term, term_label: missing.term_label, funded: missing.funded, missing: missing.total });
  assert.equal(sum(d.schools, (s) => s.followups_missing), missing.total);
  assert.equal(typeof d.feedback_overdue, 'number');
  // The county officer reads the funds: the term's list is due, nothing paid yet.
  assert.ok(Array.isArray(d.payments));
  const due1 = d.payments.filter((p) => p.term === 1);
  assert.equal(sum(due1, (p) => p.due_students), own.funded);
  assert.equal(sum(due1, (p) => p.paid_students), 0);
});

test('dashboard: payment progress against the batches; parts by permission; scope', async () => {
  // The other county's past cycle has batches, one line failed.
  const other = c['county_officer@other'];
  const cycle = o().cycle_past_other_county;
  const r = await dash(other, cycle);
  assert.equal(r.status, 200, r.text);
  const batches = (await other.get(`/api/v1/cycles/${cycle}/payment-batches`)).data.items.filter((b) => b.state !== 'CANCELLED');
  assert.ok(batches.length > 0);
  for (const term of [1, 2]) {
    const rows = r.data.payments.filter((p) => p.term === term);
    const inTerm = batches.filter((b) => b.term === term);
    const count = (s) => sum(inTerm, (b) => b.status_counts?.[s] || 0);
    assert.equal(sum(rows, (p) => p.paid_students), count('paid'), `term ${term} paid`);
    assert.equal(sum(rows, (p) => p.failed), count('failed'), `term ${term} failed`);
    assert.equal(sum(rows, (p) => p.pending), count('pending'), `term ${term} pending`);
  }
  assert.ok(sum(r.data.payments, (p) => p.failed) >= 1, 'the demo\'s failed line');
  assert.ok(sum(r.data.payments, (p) => fen(p.paid)) > 0);

  // Parts by permission: the auditor reads funds, not applications or feedback;
  // the school officer sees its school, no funds; the reviewer no funds.
  const past = o().cycle_past_own;
  const audit = (await dash(c.auditor, past)).data;
  assert.equal(audit.followups, null);
  assert.equal(audit.feedback_overdue, null);
  assert.ok(Array.isArray(audit.payments));
  assert.ok(audit.schools.every((s) => s.followups_missing === null));
  const school = (await dash(c.school_officer, past)).data;
  assert.deepEqual(school.schools.map((s) => s.school_code), [o().school_own]);
  assert.equal(school.payments, null);
  assert.notEqual(school.followups, null);
  assert.equal(typeof school.feedback_overdue, 'number');
  const reviewer = (await dash(c.reviewer, past)).data;
  assert.equal(reviewer.payments, null);
  assert.equal(reviewer.feedback_overdue, null);
  assert.ok(Array.isArray((await dash(c.finance, past)).data.payments));

  // Without cycle.read: 403; another county's cycle, or none: 404.
  assert.equal((await dash(c.sysadmin, past)).status, 403);
  assert.equal((await dash(c.county_officer, cycle)).status, 404);
  assert.equal((await dash(c.county_officer, 999999)).status, 404);
});
