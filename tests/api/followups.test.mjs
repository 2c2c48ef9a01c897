// Follow-up records of funded students (跟踪管理) and feedback and complaints
// (意见反馈), end to end: the review funds two students through the API, the
// school officer records follow-ups and the missing list shrinks; the public,
// the guardian and staff send feedback, staff assign, answer and close it,
// the public follows it by receipt code. Refusals: wrong role 403, another
// school or county 404, bad input 400 naming the field, ID-like numbers in
// free text, the public rate limit 429.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
const o = () => server.creds.objects;
before(async () => {
  server = await startServer();
  for (const key of ['county_officer', 'school_officer', 'reviewer', 'reviewer2', 'reviewer3', 'guardian', 'auditor',
    'county_officer@other', 'school_officer@other']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);  // China date
const funded = [];
let unfunded = null;

test('follow-up: refused before the review, then recorded for funded students only', async () => {
  const cycle = o().cycle_own;
  const so = c.school_officer;
  const record = (client, body) => client.post(`/api/v1/cycles/${cycle}/followups`, body);
  const visit = (student, extra = {}) => ({ student_id: student, term: 1, kind: 'home_visit', happened_on: today(),
    note: '到家中走访，了解学习和生活情况。', ...extra });
  // Applications are still open: nothing decided, nothing to follow up.
  const early = await record(so, visit(o().student_own));
  assert.equal(early.status, 409, early.text);
  assert.equal(early.data.error.code, 'STATE_CONFLICT');

  // The review, through the API: close, identify, a panel of three, votes,
  // decisions (two funded, one without aid).
  assert.equal((await c.county_officer.post(`/api/v1/cycles/${cycle}/close-applications`, {})).status, 200);
  assert.equal((await c.county_officer.post(`/api/v1/cycles/${cycle}/identification-runs`, {})).status, 200);
  const panel = await so.put(`/api/v1/cycles/${cycle}/panel`, { usernames: ['reviewer', 'reviewer2', 'reviewer3'] });
  assert.equal(panel.status, 200, panel.text);
  const board = await so.get(`/api/v1/cycles/${cycle}/review`);
  const clean = board.data.items.filter((x) => x.unresolved_blocking_flags.length === 0);
  const suggested = clean.filter((x) => x.suggested_level !== null);
  assert.ok(suggested.length >= 2 && clean.length >= 3, 'enough candidates');
  const decide = async (student, level, reason) => {
    for (const r of [c.reviewer, c.reviewer2, c.reviewer3]) {
      const v = await r.post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: student, level });
      assert.equal(v.status, 200, v.text);
    }
    const d = await so.post(`/api/v1/cycles/${cycle}/review/decisions`, { student_id: student, level, reason });
    assert.equal(d.status, 200, d.text);
  };
  for (const x of suggested.slice(0, 2)) {
    await decide(x.student_id, x.suggested_level, '评审一致');
    funded.push(x.student_id);
  }
  unfunded = clean.find((x) => !funded.includes(x.student_id)).student_id;
  await decide(unfunded, null, '家庭情况已好转');

  const made = await record(so, visit(funded[0]));
  assert.equal(made.status, 200, made.text);
  assert.equal(made.data.student_id, funded[0]);
  assert.equal(made.data.kind_label, '家访');
  assert.equal(made.data.term_label, '秋季学期');
  assert.equal(made.data.school_code, o().school_own);
  assert.equal(made.data.happened_on, today());

  // Wrong role: 403. Another county (its cycle) or another school's student: 404.
  assert.equal((await record(c.reviewer, visit(funded[1]))).status, 403);
  assert.equal((await record(c.county_officer, visit(funded[1]))).status, 403);
  assert.equal((await record(c.guardian, visit(funded[1]))).status, 403);
  assert.equal((await record(c['school_officer@other'], visit(funded[1]))).status, 404);
  const elsewhere = await record(so, visit(o().student_other_school));
  assert.equal(elsewhere.status, 404);
  assert.equal(elsewhere.data.error.field, 'student_id');
  // Not funded: the rule names the student.
  const notFunded = await record(so, visit(unfunded));
  assert.equal(notFunded.status, 422);
  assert.equal(notFunded.data.error.field, 'student_id');
  // Bad input names its field.
  for (const [extra, field] of [
    [{ kind: 'visit' }, 'kind'], [{ term: 5 }, 'term'], [{ happened_on: '2999-01-01' }, 'happened_on'],
    [{ happened_on: '去年' }, 'happened_on'], [{ note: '' }, 'note'], [{ note: '请回电 13912345678' }, 'note'],
    [{ note: '身份证号 620102201501011234' }, 'note'], [{ term: 'one' }, 'term'],
  ]) {
    const r = await record(so, visit(funded[1], extra));
    assert.equal(r.status, 400, `${JSON.stringify(extra)}: ${r.text}`);
    assert.equal(r.data.error.field, field, JSON.stringify(extra));
  }
  const noStudent = await record(so, { kind: 'talk', happened_on: today(), note: '谈心' });
  assert.equal(noStudent.status, 400);
  assert.equal(noStudent.data.error.field, 'student_id');

  // A student's records: staff who may read applications see them.
  const mine = await c.reviewer.get(`/api/v1/cycles/${cycle}/followups?student_id=${funded[0]}`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.data.total, 1);
  assert.equal(mine.data.items[0].note, '到家中走访，了解学习和生活情况。');
  assert.equal((await c.county_officer.get(`/api/v1/cycles/${cycle}/followups?term=1`)).data.total, 1);
  assert.equal((await c.county_officer.get(`/api/v1/cycles/${cycle}/followups?term=2`)).data.total, 0);
  assert.equal((await c['county_officer@other'].get(`/api/v1/cycles/${cycle}/followups`)).status, 404);
  assert.equal((await c.guardian.get(`/api/v1/cycles/${cycle}/followups`)).status, 403);
  const badTerm = await c.county_officer.get(`/api/v1/cycles/${cycle}/followups?term=3`);
  assert.equal(badTerm.status, 400);
  assert.equal(badTerm.data.error.field, 'term');

  // The audit log records that it happened, not what the note says.
  const audit = await c.auditor.get('/api/v1/audit?action=followup.add');
  assert.equal(audit.data.total, 1);
  assert.doesNotMatch(JSON.stringify(audit.data.items[0]), /走访/);
});

test('follow-up: the missing list, for the school and for the county', async () => {
  const cycle = o().cycle_own;
  const missing = (client, q = '') => client.get(`/api/v1/cycles/${cycle}/followups/missing${q}`);
  const term1 = await missing(c.school_officer, '?term=1');
  assert.equal(term1.status, 200, term1.text);
  assert.equal(term1.data.funded, 2);
  assert.deepEqual(term1.data.items.map((x) => x.student_id), [funded[1]]);
  assert.match(term1.data.items[0].student_no, /\*/);
  assert.ok(term1.data.items[0].level >= 1);
  const term2 = await missing(c.school_officer, '?term=2');
  assert.deepEqual(term2.data.items.map((x) => x.student_id).sort(), [...funded].sort());
  const county = await missing(c.county_officer, '?term=1');
  assert.equal(county.status, 200);
  assert.deepEqual(county.data.items.map((x) => x.school_code), [o().school_own]);
  assert.equal((await missing(c.county_officer, `?term=1&school_code=${o().school_other}`)).data.funded, 0);
  const otherSchool = await missing(c.school_officer, `?school_code=${o().school_other}`);
  assert.equal(otherSchool.status, 404);
  assert.equal(otherSchool.data.error.field, 'school_code');
  assert.equal((await missing(c['county_officer@other'])).status, 404);
  assert.equal((await missing(c.guardian)).status, 403);
  const current = await missing(c.reviewer);
  assert.equal(current.status, 200);
  assert.ok([1, 2].includes(current.data.term), 'the current term by default');

  // A talk in the spring term for the second student: it leaves the spring list.
  const talk = await c.school_officer.post(`/api/v1/cycles/${cycle}/followups`,
    { student_id: funded[1], term: 2, kind: 'talk', happened_on: today(), note: '谈心谈话，学习有进步。' });
  assert.equal(talk.status, 200, talk.text);
  assert.deepEqual((await missing(c.school_officer, '?term=2')).data.items.map((x) => x.student_id), [funded[0]]);
});

test('feedback: the public sends with a receipt code and follows it without logging in', async () => {
  const anyone = new Client(server.base);
  const text = '学校资助公示张贴时间太短，很多家长没看到。';
  const sent = await anyone.post('/api/v1/public/feedback',
    { county_code: server.creds.county_code, school_code: o().school_own, kind: 'complaint', text, contact_name: '王女士' });
  assert.equal(sent.status, 200, sent.text);
  assert.match(sent.data.receipt_code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  assert.equal(sent.data.status, 'OPEN');
  assert.match(sent.data.due_on, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(sent.data.due_on > sent.data.received_on);
  assert.ok(!('id' in sent.data) && !('text' in sent.data));
  const seen = await anyone.get(`/api/v1/public/feedback/${sent.data.receipt_code}`);
  assert.equal(seen.status, 200);
  assert.deepEqual(Object.keys(seen.data).sort(), ['answer', 'answered_on', 'due_on', 'received_on', 'status', 'status_label']);
  assert.equal(seen.data.answer, null);
  assert.equal((await anyone.get('/api/v1/public/feedback/aaaa-bbbb-cccc')).status, 404);
  assert.equal((await anyone.get(`/api/v1/public/feedback/${sent.data.receipt_code.toUpperCase()}`)).status, 200);

  for (const [body, field, status] of [
    [{ county_code: server.creds.county_code, kind: 'complaint', text: '请打我电话 13912345678' }, 'text', 400],
    [{ kind: 'complaint', text: '没有区县' }, 'county_code', 400],
    [{ county_code: server.creds.county_code, kind: 'praise', text: '表扬' }, 'kind', 400],
  ]) {
    const r = await anyone.post('/api/v1/public/feedback', body);
    assert.equal(r.status, status, r.text);
    assert.equal(r.data.error.field, field);
  }

  // Staff handle it: the county assigns the school officer, who answers.
  const list = await c.county_officer.get('/api/v1/feedback?status=OPEN&page_size=100');
  assert.equal(list.status, 200, list.text);
  const item = list.data.items.find((x) => x.text === text);
  assert.ok(item, 'the county sees the item about its school');
  assert.equal(item.channel, 'public');
  assert.equal(item.contact_name, '王女士');
  assert.equal(item.overdue, false);
  assert.equal((await c['county_officer@other'].get(`/api/v1/feedback/${item.id}`)).status, 404);
  assert.equal((await c.reviewer.get(`/api/v1/feedback/${item.id}`)).status, 403);
  const wrongOwner = await c.county_officer.post(`/api/v1/feedback/${item.id}/assign`, { owner_username: 'county2' });
  assert.equal(wrongOwner.status, 400);
  assert.equal(wrongOwner.data.error.field, 'owner_username');
  const assigned = await c.county_officer.post(`/api/v1/feedback/${item.id}/assign`, { owner_username: 'school' });
  assert.equal(assigned.status, 200, assigned.text);
  assert.equal(assigned.data.status, 'IN_PROGRESS');
  assert.equal(assigned.data.owner_username, 'school');
  const idLike = await c.school_officer.post(`/api/v1/feedback/${item.id}/answer`, { answer: '学籍号 123456 的学生' });
  assert.equal(idLike.status, 400);
  assert.equal(idLike.data.error.field, 'answer');
  const answered = await c.school_officer.post(`/api/v1/feedback/${item.id}/answer`,
    { answer: '已将公示移至校门口公告栏，并延长至五个工作日。' });
  assert.equal(answered.status, 200, answered.text);
  assert.equal(answered.data.status, 'ANSWERED');
  assert.equal((await c.school_officer.post(`/api/v1/feedback/${item.id}/answer`, { answer: '再答' })).status, 409);
  const now = await anyone.get(`/api/v1/public/feedback/${sent.data.receipt_code}`);
  assert.equal(now.data.status, 'ANSWERED');
  assert.equal(now.data.answer, '已将公示移至校门口公告栏，并延长至五个工作日。');
  assert.equal(now.data.answered_on, today());
  const closed = await c.county_officer.post(`/api/v1/feedback/${item.id}/close`, {});
  assert.equal(closed.status, 200);
  assert.equal(closed.data.status, 'CLOSED');
  assert.equal((await c.county_officer.post(`/api/v1/feedback/${item.id}/close`, {})).status, 409);

  const audit = await c.auditor.get(`/api/v1/audit?object_type=feedback&object_id=${item.id}`);
  assert.deepEqual(audit.data.items.map((r) => r.action).sort(),
    ['feedback.answer', 'feedback.assign', 'feedback.close', 'feedback.submit']);
});

test('feedback: the guardian about a child, staff by scope and role', async () => {
  const child = o().guardian_children[0];
  const sent = await c.guardian.post('/api/v1/me/feedback',
    { kind: 'feedback', text: '希望资助金到账后学校通知家长。', student_id: child });
  assert.equal(sent.status, 200, sent.text);
  assert.match(sent.data.receipt_code, /-/);
  assert.ok(!('owner_username' in sent.data), 'no staff fields for the guardian');
  const notMine = await c.guardian.post('/api/v1/me/feedback', { kind: 'feedback', text: '建议', student_id: o().student_other_school });
  assert.equal(notMine.status, 404);
  assert.equal(notMine.data.error.field, 'student_id');
  const theirs = await c.guardian.get('/api/v1/me/feedback');
  assert.equal(theirs.status, 200);
  assert.ok(theirs.data.items.some((x) => x.id === sent.data.id));
  assert.ok(theirs.data.items.some((x) => x.id === o().feedback_own), 'the demo item is theirs too');
  assert.equal((await c.school_officer.get('/api/v1/me/feedback')).status, 403);
  assert.equal((await c.guardian.get('/api/v1/feedback')).status, 403);

  // The school sees its school's items only; the county its schools' and its own.
  const school = await c.school_officer.get('/api/v1/feedback?page_size=100');
  assert.equal(school.status, 200);
  assert.ok(school.data.items.length > 0);
  assert.ok(school.data.items.every((x) => x.school_code === o().school_own));
  assert.equal((await c.school_officer.get(`/api/v1/feedback/${o().feedback_other_school}`)).status, 404);
  const county = await c.county_officer.get('/api/v1/feedback?page_size=100');
  assert.ok(county.data.items.some((x) => x.id === o().feedback_other_school));
  assert.ok(!county.data.items.some((x) => x.id === o().feedback_other_county));
  assert.equal((await c.county_officer.get(`/api/v1/feedback/${o().feedback_other_county}`)).status, 404);
  assert.equal((await c.county_officer.get(`/api/v1/feedback?school_code=${o().school_other_county}`)).status, 404);
  const overdue = await c.county_officer.get('/api/v1/feedback?overdue=true');
  assert.equal(overdue.status, 200);
  assert.ok(overdue.data.items.every((x) => x.overdue));
  assert.equal((await c.county_officer.get('/api/v1/feedback?overdue=maybe')).data.error.field, 'overdue');
  assert.equal((await c.county_officer.get('/api/v1/feedback?status=DONE')).data.error.field, 'status');

  // Staff record an item received by phone; the school officer cannot assign above the school.
  const phoned = await c.school_officer.post('/api/v1/feedback', { kind: 'complaint', text: '家长来电反映结果未告知。' });
  assert.equal(phoned.status, 200, phoned.text);
  assert.equal(phoned.data.channel, 'staff');
  assert.equal(phoned.data.school_code, o().school_own);
  assert.equal((await c.school_officer.post(`/api/v1/feedback/${phoned.data.id}/assign`, { owner_username: 'county' })).status, 400);
  assert.equal((await c.reviewer.post('/api/v1/feedback', { kind: 'complaint', text: '无权' })).status, 403);
  assert.equal((await c['school_officer@other'].post(`/api/v1/feedback/${phoned.data.id}/answer`, { answer: '答' })).status, 404);
});

test('feedback: public sending is rate-limited per address (429)', async () => {
  const anyone = new Client(server.base);
  let refused = null;
  for (let i = 0; i < 30 && !refused; i++) {
    const r = await anyone.post('/api/v1/public/feedback',
      { county_code: server.creds.county_code, kind: 'feedback', text: `建议增加资助政策宣传（第${i + 1}条）` });
    if (r.status === 429) refused = r; else assert.equal(r.status, 200, r.text);
  }
  assert.ok(refused, 'refused at last');
  assert.equal(refused.data.error.code, 'RATE_LIMITED');
  assert.ok(refused.headers.get('retry-after'));
  // Reading by receipt code is not held back.
  assert.equal((await anyone.get('/api/v1/public/feedback/aaaa-bbbb-cccc')).status, 404);
});
