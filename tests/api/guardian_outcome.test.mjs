// What a guardian learns of their child's application (docs/web.md "The
// guardian's decision"; GuardianOutcome in api/openapi.json): nothing before
// the school's announcement, then the decision with the school's reason, a
// later upheld objection, and the filing's approval — and never anything of
// other students (their names, the reasons given for them, the votes).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
const anyone = () => new Client(server.base);
before(async () => {
  server = await startServer(['--test-clock', '--public-write-rate-per-minute', '0']);
  for (const key of ['county_officer', 'school_officer', 'reviewer', 'reviewer2', 'reviewer3', 'guardian']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const o = () => server.creds.objects;
async function on(day) {
  const r = await anyone().put('/api/v1/test/clock', { now_ms: Date.parse(`${day}T10:00:00+08:00`) });
  assert.equal(r.status, 200, r.text);
}

test('the guardian sees the decision and its reason only once announced, then changes and the filing', async () => {
  const county = c.county_officer;
  const so = c.school_officer;
  const panel = [c.reviewer, c.reviewer2, c.reviewer3];
  await on('2024-08-26');
  const cycle = (await county.post('/api/v1/cycles', { school_year: '2024-2025' })).data.id;
  assert.equal((await county.put(`/api/v1/cycles/${cycle}/dates`,
    { applications_open_on: '2024-09-02', applications_close_on: '2024-09-13' })).status, 200);
  assert.equal((await county.put(`/api/v1/cycles/${cycle}/budgets`,
    { budgets: [{ school_code: o().school_own, budget: '3000.00' }] })).status, 200);
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/open`, {})).status, 200);

  await on('2024-09-03');
  const child = o().guardian_children[0];
  const family = { household_size: 4, household_income: '9000.00', serious_illness: true };
  const mine = await c.guardian.post('/api/v1/me/applications', { cycle_id: cycle, student_id: child, ...family });
  assert.equal(mine.status, 200, mine.text);
  const roster = await so.get(`/api/v1/students?school_code=${o().school_own}&page_size=30`);
  const others = roster.data.items.filter((s) => !o().guardian_children.includes(s.id)).slice(0, 3);
  for (const s of others) {
    assert.equal((await so.post(`/api/v1/cycles/${cycle}/applications`, { student_id: s.id, ...family })).status, 200);
  }
  const mineNow = async () => {
    const list = await c.guardian.get('/api/v1/me/applications');
    assert.equal(list.status, 200);
    const one = await c.guardian.get(`/api/v1/me/applications/${mine.data.id}`);
    assert.equal(one.status, 200);
    const fromList = list.data.items.find((a) => a.id === mine.data.id);
    assert.deepEqual(fromList.outcome, one.data.outcome, 'the list and the detail agree');
    return { outcome: one.data.outcome, text: list.text + one.text };
  };
  let seen = await mineNow();
  assert.equal(seen.outcome.stage, 'reviewing');
  assert.equal(seen.outcome.funded, null);

  await on('2024-09-14');
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/close-applications`, {})).status, 200);
  await on('2024-09-18');
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/identification-runs`, {})).status, 200);
  assert.equal((await so.put(`/api/v1/cycles/${cycle}/panel`, { usernames: ['reviewer', 'reviewer2', 'reviewer3'] })).status, 200);
  const board = (await so.get(`/api/v1/cycles/${cycle}/review`)).data.items;
  const ours = board.find((x) => x.student_id === child);
  assert.ok(ours, 'the child is a candidate');
  for (const flag of ours.unresolved_blocking_flags) {
    assert.equal((await so.post(`/api/v1/cycles/${cycle}/review/resolutions`,
      { student_id: child, flag, resolution: '已入户核实' })).status, 200);
  }
  const otherNames = board.filter((x) => x.student_id !== child).map((x) => x.student_name);
  assert.ok(otherNames.length >= 3);
  let otherFunded = false;
  for (const x of board) {
    const isChild = x.student_id === child;
    const level = isChild || (!otherFunded && x.unresolved_blocking_flags.length === 0) ? 3 : null;
    if (!isChild && level === 3) otherFunded = true;
    for (const p of panel) {
      const v = await p.post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: x.student_id, level });
      assert.equal(v.status, 200, v.text);
    }
    const reason = isChild ? '母亲重病，家庭困难，评为三级' : level ? '另一学生的资助理由甲' : '另一学生的不资助理由乙';
    const d = await so.post(`/api/v1/cycles/${cycle}/review/decisions`, { student_id: x.student_id, level, reason });
    assert.equal(d.status, 200, d.text);
  }
  // Decided but not announced: still nothing.
  seen = await mineNow();
  assert.equal(seen.outcome.stage, 'reviewing');
  assert.equal(seen.outcome.level, null);
  assert.equal(seen.outcome.reason, null);
  assert.doesNotMatch(seen.text, /母亲重病/, 'no reason before the announcement');

  await on('2024-09-26');
  const ann = await so.post(`/api/v1/cycles/${cycle}/announcements`, {});
  assert.equal(ann.status, 200, ann.text);
  seen = await mineNow();
  assert.equal(seen.outcome.stage, 'announced');
  assert.equal(seen.outcome.announced_on, '2024-09-26');
  assert.equal(seen.outcome.funded, true);
  assert.equal(seen.outcome.level, 3);
  assert.equal(seen.outcome.level_label, '三级（一般困难）');
  assert.equal(seen.outcome.amount, '1000.00');
  assert.equal(seen.outcome.reason, '母亲重病，家庭困难，评为三级');
  assert.equal(seen.outcome.running_announcement_id, ann.data.id);
  assert.equal(seen.outcome.running_until, ann.data.ends_on);
  assert.deepEqual(seen.outcome.changes, []);
  // Nothing of anyone else: names, their reasons, the tally.
  for (const name of otherNames) assert.ok(!seen.text.includes(name), `another student's name ${name}`);
  assert.doesNotMatch(seen.text, /另一学生|votes|tally|score|flags/);

  // An objection to the child's row, upheld: the change and its reason.
  await on('2024-09-27');
  const staffAnn = (await so.get(`/api/v1/cycles/${cycle}/announcements`)).data.items.find((a) => a.id === ann.data.id);
  const row = staffAnn.rows.find((r) => r.student_id === child)?.no;
  assert.ok(row > 0, 'the child is on the announced list');
  const obj = await anyone().post(`/api/v1/public/announcements/${ann.data.id}/objections`, { entry_no: row, text: '请核实该生家庭收入' });
  assert.equal(obj.status, 200, obj.text);
  assert.doesNotMatch((await mineNow()).text, /请核实该生家庭收入/, 'the objection\'s text is not the guardian\'s');
  const upheld = await so.post(`/api/v1/objections/${obj.data.id}/answer`, { upheld: true, answer: '经核实家庭收入超过标准', level: null });
  assert.equal(upheld.status, 200, upheld.text);
  seen = await mineNow();
  assert.equal(seen.outcome.funded, false);
  assert.equal(seen.outcome.level_label, '不予资助');
  assert.equal(seen.outcome.reason, '母亲重病，家庭困难，评为三级', 'the decision\'s reason stays');
  assert.equal(seen.outcome.changes.length, 1);
  assert.equal(seen.outcome.changes[0].cause, 'objection');
  assert.equal(seen.outcome.changes[0].cause_label, '异议成立');
  assert.equal(seen.outcome.changes[0].level, null);
  assert.equal(seen.outcome.changes[0].made_on, '2024-09-27');
  assert.doesNotMatch(seen.text, /请核实该生家庭收入/);

  // The period over, filed and approved.
  await on('2024-10-14');
  seen = await mineNow();
  assert.equal(seen.outcome.running_announcement_id, null, 'no announcement runs');
  const filed = await so.post(`/api/v1/cycles/${cycle}/filings`, {});
  assert.equal(filed.status, 200, filed.text);
  assert.equal((await mineNow()).outcome.stage, 'announced', 'submitted is not approved');
  assert.equal((await county.post(`/api/v1/filings/${filed.data.id}/approve`, {})).status, 200);
  seen = await mineNow();
  assert.equal(seen.outcome.stage, 'filed');
  assert.equal(seen.outcome.filed_on, '2024-10-14');

  // A withdrawn application has no outcome; staff views carry none.
  const staff = await so.get(`/api/v1/applications/${mine.data.id}`);
  assert.equal(staff.status, 200);
  assert.equal(staff.data.outcome, undefined, 'the staff view is unchanged');
});
