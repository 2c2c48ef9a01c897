// A whole school year through the API against a real server process, with
// the server's clock moved through 2024-2025 (--test-clock): the county sets
// up the cycle and imports a list; a guardian and the school apply; the
// applications close; identification; the panel votes and the school
// decides; 公示; one objection upheld and one dismissed then appealed;
// filing returned once, revised, announced again and approved; a term
// adjustment in the spring term; both terms paid (maker-checker, the bank's
// return with a failed payment fixed and paid in the next batch, the surplus
// returned, the fund use published); follow-ups; feedback answered. Each step's refusals are checked too
// (wrong role, other school or county, wrong state, deadline passed, open
// objection, over budget), and at every step every public endpoint is swept
// for personal data.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Client, startServer, user, ZIZHU } from './harness.mjs';

let server;
const c = {};
const anyone = () => new Client(server.base);
before(async () => {
  server = await startServer(['--test-clock', '--public-write-rate-per-minute', '0']);
  for (const key of ['county_officer', 'school_officer', 'reviewer', 'reviewer2', 'reviewer3', 'guardian', 'auditor',
    'county_officer@other', 'school_officer@other', 'finance']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const o = () => server.creds.objects;

// 10:00 in China on the day.
async function on(day) {
  const r = await anyone().put('/api/v1/test/clock', { now_ms: Date.parse(`${day}T10:00:00+08:00`) });
  assert.equal(r.status, 200, r.text);
}

// What the public may never see, gathered from the staff side as the year goes.
const secrets = { names: new Set(), ids: new Set() };
const publicSeen = { announcements: new Set(), receipts: new Set() };
const sweeps = [];

async function sweepPublic(label) {
  const a = anyone();
  const paths = ['/api/v1/public/notices', '/api/v1/public/announcements',
    `/api/v1/public/announcements?county=${server.creds.county_code}`];
  for (const id of publicSeen.announcements) paths.push(`/api/v1/public/announcements/${id}`);
  for (const r of publicSeen.receipts) paths.push(`/api/v1/public/objections/${r}`);
  if (publicSeen.feedback) paths.push(`/api/v1/public/feedback/${publicSeen.feedback}`);
  if (publicSeen.fundUse) paths.push('/api/v1/public/fund-publications');
  for (const path of paths) {
    const r = await a.get(path);
    assert.ok([200, 404].includes(r.status), `${label} ${path}: ${r.status}`);
    const text = r.text;
    assert.doesNotMatch(text, /\d{17}[\dX]/, `${label} ${path}: an ID number`);
    assert.doesNotMatch(text, /\d{16,19}/, `${label} ${path}: a card number`);
    assert.doesNotMatch(text, /(?<!\d)1[3-9]\d{9}(?!\d)/, `${label} ${path}: a phone number`);
    assert.doesNotMatch(text, /(19|20[01])\d-\d\d-\d\d|(19|20[01])\d年/, `${label} ${path}: a birth date`);
    assert.doesNotMatch(text, /student_id|objector_name|"text"|appeal_text|household/, `${label} ${path}: a staff field`);
    for (const name of secrets.names) assert.ok(!text.includes(name), `${label} ${path}: the name ${name} unmasked`);
    for (const id of secrets.ids) assert.ok(!text.includes(id), `${label} ${path}: an ID`);
  }
  sweeps.push(label);
}

const sm3 = (text) => createHash('sm3').update(text).digest('hex');

test('a whole year: set up, apply, identify, review, announce, object, file, adjust', async () => {
  const county = c.county_officer;
  const so = c.school_officer;
  const panel = [c.reviewer, c.reviewer2, c.reviewer3];

  // --- DRAFT → OPEN ------------------------------------------------------
  await on('2024-08-26');
  await sweepPublic('before the year');
  assert.equal((await so.post('/api/v1/cycles', { school_year: '2024-2025' })).status, 403);
  const made = await county.post('/api/v1/cycles', { school_year: '2024-2025' });
  assert.equal(made.status, 200, made.text);
  const cycle = made.data.id;
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/announcements`, {})).status, 403, 'a county does not announce');
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/announcements`, {})).status, 404, 'a draft is hidden from schools');
  assert.equal((await county.put(`/api/v1/cycles/${cycle}/dates`,
    { applications_open_on: '2024-09-02', applications_close_on: '2024-09-13' })).status, 200);
  // Room for three level-3 awards (1,000 yuan a year each) at the own school.
  assert.equal((await county.put(`/api/v1/cycles/${cycle}/budgets`, {
    budgets: [{ school_code: o().school_own, budget: '3000.00' }, { school_code: o().school_other, budget: '5000.00' }],
  })).status, 200);
  assert.equal((await c['county_officer@other'].post(`/api/v1/cycles/${cycle}/open`, {})).status, 404);
  const opened = await county.post(`/api/v1/cycles/${cycle}/open`, {});
  assert.equal(opened.status, 200, opened.text);

  // --- lists: two of the school's students are on the 民政局's 低保 list ----
  const roster = await so.get(`/api/v1/students?school_code=${o().school_own}&page_size=60`);
  assert.equal(roster.status, 200);
  const pupils = roster.data.items.filter((s) => !o().guardian_children.includes(s.id));
  assert.ok(pupils.length >= 20);
  // Two with an ID on record (the demo leaves some students without one).
  const lines = ['身份证号,姓名,类别,有效期起,有效期止,来源部门'];
  const listed = new Set();
  for (const s of pupils) {
    if (listed.size === 2) break;
    const shown = await county.post(`/api/v1/students/${s.id}/reveal`, { reason: '核对低保名单' });
    assert.equal(shown.status, 200, shown.text);
    if (!shown.data.id_number) continue;
    secrets.ids.add(shown.data.id_number);
    listed.add(s.id);
    lines.push(`${shown.data.id_number},${shown.data.name},DIBAO,2024-01-01,2025-12-31,`);
  }
  const upload = await county.request('POST', `/api/v1/cycles/${cycle}/lists?source=${encodeURIComponent('民政局')}`,
    { body: lines.join('\n') + '\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(upload.status, 200, upload.text);
  assert.equal(upload.data.accepted, 2, JSON.stringify(upload.data) + lines.join('/'));

  // --- applications: the guardian and the school -----------------------
  await on('2024-09-03');
  const family = { household_size: 4, household_income: '9000.00', serious_illness: true };
  const child = o().guardian_children[0];
  const mine = await c.guardian.post('/api/v1/me/applications', { cycle_id: cycle, student_id: child, ...family });
  assert.equal(mine.status, 200, mine.text);
  assert.equal((await c.guardian.post('/api/v1/me/applications',
    { cycle_id: cycle, student_id: o().student_other_school, ...family })).status, 404, 'not their child');
  const entered = [];
  for (const s of pupils.filter((p) => !listed.has(p.id)).slice(0, 4)) {
    const r = await so.post(`/api/v1/cycles/${cycle}/applications`, { student_id: s.id, ...family });
    assert.equal(r.status, 200, r.text);
    entered.push(s.id);
  }
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/applications`,
    { student_id: o().student_other_school, ...family })).status, 404, 'another school\'s student');
  await sweepPublic('applications open');
  await on('2024-09-14');
  const late = await so.post(`/api/v1/cycles/${cycle}/applications`, { student_id: pupils.at(-1).id, ...family });
  assert.equal(late.status, 422, 'the deadline has passed');
  assert.match(late.data.error.message, /截止/);
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/close-applications`, {})).status, 403);
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/close-applications`, {})).status, 200);

  // --- identification and review ----------------------------------------
  await on('2024-09-18');
  const run = await county.post(`/api/v1/cycles/${cycle}/identification-runs`, {});
  assert.equal(run.status, 200, run.text);
  assert.equal((await so.put(`/api/v1/cycles/${cycle}/panel`, { usernames: ['reviewer', 'reviewer2', 'reviewer3'] })).status, 200);
  const board = await so.get(`/api/v1/cycles/${cycle}/review`);
  assert.equal(board.status, 200);
  const candidates = board.data.items;
  assert.ok(candidates.length >= 5, `candidates: ${candidates.length}`);
  for (const x of candidates) secrets.names.add(x.student_name);
  // Four funded at level 3 would be over the budget of three.
  const fundable = candidates.filter((x) => x.unresolved_blocking_flags.length === 0).slice(0, 4);
  assert.equal(fundable.length, 4);
  const funded = [];
  for (const x of candidates) {
    const level = fundable.includes(x) ? 3 : null;
    for (const p of panel) assert.equal((await p.post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: x.student_id, level })).status, 200);
    const d = await so.post(`/api/v1/cycles/${cycle}/review/decisions`, { student_id: x.student_id, level, reason: '评审小组综合评议' });
    if (level !== null && funded.length === 3) {
      assert.equal(d.status, 422, 'over budget');
      assert.match(d.data.error.message, /预算/);
      for (const p of panel) await p.post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: x.student_id, level: null });
      assert.equal((await so.post(`/api/v1/cycles/${cycle}/review/decisions`,
        { student_id: x.student_id, level: null, reason: '预算所限，列入候补' })).status, 200);
      continue;
    }
    assert.equal(d.status, 200, d.text);
    if (level !== null) funded.push(x.student_id);
  }
  assert.equal((await c.reviewer.post(`/api/v1/cycles/${cycle}/announcements`, {})).status, 403);
  assert.equal((await c['school_officer@other'].post(`/api/v1/cycles/${cycle}/announcements`, {})).status, 404);
  await sweepPublic('reviewed');

  // --- 公示 ---------------------------------------------------------------
  await on('2024-09-26');  // a Thursday: National Day (1–7 October) falls inside the period
  // The preview is composed by the publishing code and saves nothing.
  const previewUrl = `/api/v1/cycles/${cycle}/announcement-preview`;
  assert.equal((await c.reviewer.get(previewUrl)).status, 403);
  assert.equal((await c['school_officer@other'].get(previewUrl)).status, 404);
  const badDays = await so.get(`${previewUrl}?working_days=4`);
  assert.equal(badDays.status, 400, badDays.text);
  assert.equal(badDays.data.error.field, 'working_days');
  const preview = await so.get(`${previewUrl}?working_days=5`);
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.data.blocked, null);
  assert.equal(preview.data.announcement.id, 0);
  assert.equal((await so.get(previewUrl)).data.announcement.ends_on, '2024-10-09', 'twice the same, nothing saved');
  const ann = await so.post(`/api/v1/cycles/${cycle}/announcements`, {});
  assert.equal(ann.status, 200, ann.text);
  assert.equal(ann.data.starts_on, '2024-09-26');
  // 27 Sep, 29 Sep (a Sunday made a working day), 30 Sep, then 8 and 9 October.
  assert.equal(ann.data.ends_on, '2024-10-09');
  assert.equal(ann.data.rows.length, 3);
  publicSeen.announcements.add(ann.data.id);
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/announcements`, {})).status, 409, 'announced already');
  assert.equal((await panel[0].post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: funded[0], level: 2 })).status, 409);
  const pub = await anyone().get(`/api/v1/public/announcements/${ann.data.id}`);
  assert.equal(pub.status, 200);
  assert.deepEqual({ ...pub.data, id: 0 }, preview.data.announcement, 'the public sees what the preview showed');
  const after = await so.get(previewUrl);
  assert.equal(after.data.announcement, null);
  assert.match(after.data.blocked, /公示/, 'announcing now: nothing to preview, the reason said');
  assert.deepEqual(pub.data.rows.map((r) => r.level), ['三级（一般困难）', '三级（一般困难）', '三级（一般困难）']);
  const pdf = await so.get(`/api/v1/announcements/${ann.data.id}/pdf`);
  assert.equal(pdf.status, 200);
  assert.ok(pdf.text.startsWith('%PDF'));
  const xlsx = await so.get(`/api/v1/announcements/${ann.data.id}/xlsx`);
  assert.equal(xlsx.status, 200);
  assert.ok(xlsx.text.startsWith('PK'));
  await sweepPublic('announcing');

  // --- objections ----------------------------------------------------------
  await on('2024-09-27');
  const objectTo = (no, text, name) => anyone().post(`/api/v1/public/announcements/${ann.data.id}/objections`,
    { entry_no: no, text, ...(name ? { name } : {}) });
  const bad = await objectTo(9, '没有这一行');
  assert.equal(bad.status, 400);
  assert.equal(bad.data.error.field, 'entry_no');
  const a1 = await objectTo(1, '该生家中新建楼房，请核实');
  assert.equal(a1.status, 200, a1.text);
  assert.equal(a1.data.answer_due_on, '2024-10-08', 'three working days, the holiday skipped');
  const a2 = await objectTo(2, '该生父母在外务工，收入较高', '李老师');
  assert.equal(a2.status, 200, a2.text);
  for (const r of [a1, a2]) publicSeen.receipts.add(r.data.receipt);
  await sweepPublic('objections open');
  const early = await so.post(`/api/v1/cycles/${cycle}/filings`, {});
  assert.equal(early.status, 422, 'the period runs and objections are open');
  const list = await so.get(`/api/v1/cycles/${cycle}/objections`);
  assert.equal(list.data.items.length, 2);
  assert.equal(list.data.items[0].text, '该生家中新建楼房，请核实');
  assert.equal((await c.reviewer.post(`/api/v1/objections/${a1.data.id}/answer`, { upheld: true, answer: '属实', level: null })).status, 403);
  assert.equal((await c['school_officer@other'].post(`/api/v1/objections/${a1.data.id}/answer`,
    { upheld: true, answer: '属实', level: null })).status, 404);
  const upheld = await so.post(`/api/v1/objections/${a1.data.id}/answer`,
    { upheld: true, answer: '经入户核实情况属实，取消资助', level: null });
  assert.equal(upheld.status, 200, upheld.text);
  assert.equal(upheld.data.state, 'UPHELD');
  const boardNow = await so.get(`/api/v1/cycles/${cycle}/review`);
  const removed = boardNow.data.items.find((x) => x.student_id === upheld.data.student_id);
  assert.deepEqual(removed.entry, { level: null, changed: true }, 'the list shows the change; the decision stays');
  assert.equal(removed.decision.level, 3);
  const anns = await so.get(`/api/v1/cycles/${cycle}/announcements`);
  const change = anns.data.items.at(-1);
  assert.equal(change.kind, 'change');
  assert.equal(change.rows[0].change, '取消');
  assert.equal(change.ends_on, '2024-10-10', 'the change runs its own full period');
  publicSeen.announcements.add(change.id);
  const dismissed = await so.post(`/api/v1/objections/${a2.data.id}/answer`,
    { upheld: false, answer: '经家访核实，该生母亲重病，家庭确有困难' });
  assert.equal(dismissed.status, 200, dismissed.text);
  assert.equal(dismissed.data.appeal_due_on, '2024-10-08');
  const seen = await anyone().get(`/api/v1/public/objections/${a2.data.receipt}`);
  assert.equal(seen.data.state, 'DISMISSED');
  assert.equal(seen.data.answer, '经家访核实，该生母亲重病，家庭确有困难');
  const appealed = await anyone().post(`/api/v1/public/objections/${a2.data.receipt}/appeal`, { text: '学校答复与事实不符' });
  assert.equal(appealed.status, 200, appealed.text);
  assert.equal(appealed.data.state, 'APPEALED');
  assert.equal((await anyone().post(`/api/v1/public/objections/${a2.data.receipt}/appeal`, { text: '再次申诉' })).status, 409);
  assert.equal((await so.post(`/api/v1/objections/${a2.data.id}/appeal-decision`, { upheld: false, decision: '维持' })).status, 403);
  assert.equal((await c['county_officer@other'].post(`/api/v1/objections/${a2.data.id}/appeal-decision`,
    { upheld: false, decision: '维持' })).status, 404);
  await sweepPublic('appealed');

  // --- the period ends: taken down; the open appeal still blocks filing ---
  await on('2024-10-14');
  assert.equal((await anyone().get(`/api/v1/public/announcements/${ann.data.id}`)).status, 404);
  const overdue = await county.get(`/api/v1/cycles/${cycle}/objections`);
  assert.equal(overdue.data.items.find((x) => x.id === a2.data.id).overdue, true, 'the county was due on 10-08');
  const blocked = await so.post(`/api/v1/cycles/${cycle}/filings`, {});
  assert.equal(blocked.status, 422);
  assert.match(blocked.data.error.message, /异议/);
  const decided = await county.post(`/api/v1/objections/${a2.data.id}/appeal-decision`,
    { upheld: false, decision: '经复核，维持学校答复' });
  assert.equal(decided.status, 200, decided.text);
  await sweepPublic('appeal decided');

  // --- filing: returned once, revised, announced, approved -----------------
  const filed = await so.post(`/api/v1/cycles/${cycle}/filings`, {});
  assert.equal(filed.status, 200, filed.text);
  assert.equal(filed.data.entries, 2);
  assert.equal(filed.data.total, '2000.00');
  const overview = await county.get(`/api/v1/cycles/${cycle}/schools`);
  const own = overview.data.items.find((s) => s.school_code === o().school_own);
  assert.equal(own.stage, 'FILING');
  assert.equal(own.objections, 2);
  assert.equal(own.objections_open, 0);
  assert.equal((await so.post(`/api/v1/filings/${filed.data.id}/approve`, {})).status, 403, 'never the school itself');
  assert.equal((await c['county_officer@other'].post(`/api/v1/filings/${filed.data.id}/approve`, {})).status, 404);
  const noReason = await county.post(`/api/v1/filings/${filed.data.id}/return`, {});
  assert.equal(noReason.status, 400);
  const returned = await county.post(`/api/v1/filings/${filed.data.id}/return`, { reason: '请补充家访记录，复核第二名学生的等级' });
  assert.equal(returned.status, 200, returned.text);
  assert.equal(returned.data.state, 'RETURNED');
  const notYet = await county.post(`/api/v1/cycles/${cycle}/approve`, {});
  assert.equal(notYet.status, 422, 'a school\'s list is back in review');
  assert.match(notYet.data.error.message, new RegExp(own.school_name));
  const remaining = funded.filter((id) => id !== upheld.data.student_id);
  assert.equal(remaining.length, 2);
  const unvoted = await so.post(`/api/v1/cycles/${cycle}/review/revisions`,
    { student_id: remaining[1], level: 2, reason: '补充家访后评议为二级' });
  assert.equal(unvoted.status, 422, 'the panel votes on a change first');
  for (const p of panel) {
    const v = await p.post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: remaining[1], level: 2 });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.data.vote_on, 'change');
  }
  const revised = await so.post(`/api/v1/cycles/${cycle}/review/revisions`,
    { student_id: remaining[1], level: 2, reason: '补充家访后评议为二级' });
  assert.equal(revised.status, 200, revised.text);
  const unannounced = await so.post(`/api/v1/cycles/${cycle}/filings`, {});
  assert.equal(unannounced.status, 422);
  assert.match(unannounced.data.error.message, /公示/);
  const again = await so.post(`/api/v1/cycles/${cycle}/announcements`, {});
  assert.equal(again.status, 200, again.text);
  assert.equal(again.data.rows[0].change, '调整');
  publicSeen.announcements.add(again.data.id);
  await sweepPublic('announcing the revision');
  await on('2024-10-22');
  const refiled = await so.post(`/api/v1/cycles/${cycle}/filings`, {});
  assert.equal(refiled.status, 200, refiled.text);
  const approved = await county.post(`/api/v1/filings/${refiled.data.id}/approve`, {});
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.data.state, 'APPROVED');
  assert.equal(approved.data.total, '2500.00');
  assert.equal((await county.post(`/api/v1/filings/${refiled.data.id}/return`, { reason: '再议' })).status, 409);
  for (const reader of [c.auditor, c.finance, county]) {
    const frozen = await reader.get(`/api/v1/filings/${refiled.data.id}`);
    assert.equal(frozen.status, 200);
    assert.equal(sm3(frozen.data.snapshot), frozen.data.snapshot_sm3, 'the content hash is of the snapshot');
  }
  await sweepPublic('approved');
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/approve`, {})).status, 403);
  const yearApproved = await county.post(`/api/v1/cycles/${cycle}/approve`, {});
  assert.equal(yearApproved.status, 200, yearApproved.text);
  assert.equal(yearApproved.data.state, 'APPROVED');

  // --- paying term 1: maker-checker, the bank's return with one failure, the
  // card fixed and the student paid in the next batch ----------------------
  await on('2024-10-25');
  const fin = c.finance;
  for (const [id, source, amount, extra] of [
    [101, 'central', '1000.00', { budget_doc: '财教〔2024〕88号' }],
    [102, 'local', '1200.00', { budget_doc: '县财教〔2024〕12号' }],
    [103, 'donor', '300.00', { source_name: '爱心助学基金会' }]]) {
    const r = await fin.post('/api/v1/funds/receipts', { transfer_id: id, source, amount, cycle_id: cycle, ...extra });
    assert.equal(r.status, 200, r.text);
  }
  const allocated = await fin.post('/api/v1/funds/allocations',
    { transfer_id: 104, school_code: o().school_own, amount: '2500.00', cycle_id: cycle });
  assert.equal(allocated.status, 200, allocated.text);
  // The guardians' cards as the school collected them this week.
  let cardSeq = 0;
  const newCard = () => `62220202${String(++cardSeq).padStart(3, '0')}${String(Date.now() % 1e8).padStart(8, '0')}`;
  for (const id of remaining) {
    const r = await so.put(`/api/v1/students/${id}/bank-card`, { bank_card: newCard(), reason: '学校核实监护人银行卡' });
    assert.equal(r.status, 200, r.text);
  }
  await on('2024-10-28');
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/payment-batches`, { term: 1 })).status, 403);
  const batch1 = await fin.post(`/api/v1/cycles/${cycle}/payment-batches`, { term: 1 });
  assert.equal(batch1.status, 200, batch1.text);
  assert.equal(batch1.data.state, 'PREPARED');
  assert.equal(batch1.data.total, '1250.00');
  assert.equal(batch1.data.line_count, 2);
  assert.equal(batch1.data.risks, 2, 'both cards changed within 30 days: shown to the approver');
  assert.match(batch1.data.lines[0].risk, /银行卡于 2024-10-25 变更/);
  assert.doesNotMatch(JSON.stringify(batch1.data), /\d{16,19}/, 'no full card in the batch view');
  assert.equal((await fin.post(`/api/v1/cycles/${cycle}/payment-batches`, { term: 1 })).status, 422, 'nobody twice');
  const approveUrl = `/api/v1/payment-batches/${batch1.data.id}/approve`;
  assert.equal((await fin.post(approveUrl, { file_sm3: batch1.data.file_sm3 })).status, 403, 'not the one who prepared it');
  assert.equal((await so.post(approveUrl, { file_sm3: batch1.data.file_sm3 })).status, 403);
  assert.equal((await c['county_officer@other'].post(approveUrl, { file_sm3: batch1.data.file_sm3 })).status, 404);
  assert.equal((await c['county_officer@other'].get(`/api/v1/payment-batches/${batch1.data.id}`)).status, 404);
  assert.equal((await c.auditor.get(`/api/v1/payment-batches/${batch1.data.id}`)).status, 200, 'the auditor reads it');
  assert.equal((await county.post(approveUrl, { file_sm3: '0'.repeat(64) })).status, 400, 'the digest the approver saw');
  assert.equal((await fin.get(`/api/v1/payment-batches/${batch1.data.id}/file`)).status, 409, 'no file before approval');
  const approved1 = await county.post(approveUrl, { file_sm3: batch1.data.file_sm3 });
  assert.equal(approved1.status, 200, approved1.text);
  assert.equal(approved1.data.state, 'APPROVED');
  assert.equal(approved1.data.status_counts.pending, 2);
  const bankFile = await fin.get(`/api/v1/payment-batches/${batch1.data.id}/file?format=csv`);
  assert.equal(bankFile.status, 200);
  assert.equal(sm3('\uFEFF' + bankFile.text), batch1.data.file_sm3, 'the bank gets the bytes the approver saw');
  assert.match(bankFile.headers.get('content-disposition'), new RegExp(batch1.data.batch_no));
  assert.match(bankFile.text, /合计,笔数,2,总金额,1250\.00/);
  assert.equal((await county.get(`/api/v1/payment-batches/${batch1.data.id}/file`)).status, 403, 'finance hands it over');
  const xlsxFile = await fin.get(`/api/v1/payment-batches/${batch1.data.id}/file?format=xlsx`);
  assert.equal(xlsxFile.status, 200);
  assert.match(xlsxFile.headers.get('content-type'), /spreadsheetml/);

  const returnCsv = (lines, failFirst, day) => '明细流水号,状态,失败原因,银行流水号,处理日期\r\n' + lines.map((l, i) =>
    (failFirst && i === 0 ? `${l.line_no},失败,账户已销户,,${day}` : `${l.line_no},成功,,BK${l.id},${day}`)).join('\r\n') + '\r\n';
  const importReturn = (id, text) => fin.request('POST', `/api/v1/payment-batches/${id}/return?name=huipan.csv`,
    { body: text, headers: { 'content-type': 'text/csv' } });
  await on('2024-10-30');
  const answer1 = returnCsv(approved1.data.lines, true, '2024-10-30');
  const imported1 = await importReturn(batch1.data.id, answer1);
  assert.equal(imported1.status, 200, imported1.text);
  assert.equal(imported1.data.matched_success, 1);
  assert.equal(imported1.data.matched_failure, 1);
  assert.equal(imported1.data.batch.state, 'SETTLED');
  const replayed = await importReturn(batch1.data.id, answer1);
  assert.equal(replayed.data.already_settled, 2, 'the same file again changes nothing');
  assert.equal(replayed.data.matched_success + replayed.data.matched_failure, 0);
  const odd = await importReturn(batch1.data.id, '明细流水号,状态,失败原因,银行流水号,处理日期\r\nX-1,成功,,B1,2024-10-30\r\n');
  assert.equal(odd.data.unknown_line, 1);
  const failedLine = (await fin.get(`/api/v1/payment-batches/${batch1.data.id}`)).data.lines.find((l) => l.status === 'failed');
  assert.equal(failedLine.reason, '账户已销户');

  // The school fixes the card; the next batch holds that student alone.
  await on('2024-11-04');
  assert.equal((await so.put(`/api/v1/students/${failedLine.student_id}/bank-card`,
    { bank_card: newCard(), reason: '原卡已销户，监护人提供新卡' })).status, 200);
  const batch2 = await fin.post(`/api/v1/cycles/${cycle}/payment-batches`, { term: 1 });
  assert.equal(batch2.status, 200, batch2.text);
  assert.equal(batch2.data.line_count, 1);
  assert.equal(batch2.data.lines[0].student_id, failedLine.student_id);
  assert.match(batch2.data.lines[0].risk, /上次付款失败：账户已销户/);
  const approved2 = await county.post(`/api/v1/payment-batches/${batch2.data.id}/approve`, { file_sm3: batch2.data.file_sm3 });
  assert.equal(approved2.status, 200, approved2.text);
  const imported2 = await importReturn(batch2.data.id, returnCsv(approved2.data.lines, false, '2024-11-06'));
  assert.equal(imported2.data.matched_success, 1);
  assert.equal((await fin.post(`/api/v1/cycles/${cycle}/payment-batches`, { term: 1 })).status, 422, 'term 1 is paid');
  // The auditor follows the repaid payment back to the filed list and the decision behind it.
  const traced = await c.auditor.get(`/api/v1/payment-lines/${approved2.data.lines[0].id}/trace`);
  assert.equal(traced.status, 200, traced.text);
  assert.equal(traced.data.line.status, 'paid');
  assert.equal(traced.data.filing.id, refiled.data.id);
  assert.equal(traced.data.filing.snapshot_sm3, refiled.data.snapshot_sm3);
  assert.equal(traced.data.entry.amount, traced.data.line.amount);
  assert.ok(['decision', 'list_change'].includes(traced.data.entry.basis));
  assert.match(traced.data.basis.votes, /:/, 'the panel\'s tally');
  assert.deepEqual(traced.data.transfers.map((x) => x.kind).sort(), ['pending', 'post']);
  assert.equal((await so.get(`/api/v1/payment-lines/${approved2.data.lines[0].id}/trace`)).status, 403);

  // --- follow-up in the autumn term ----------------------------------------
  await on('2024-11-05');
  const visit = (student, extra = {}) => ({ student_id: student, kind: 'home_visit', happened_on: '2024-11-04',
    note: '家访：了解学习和生活情况，家长表示感谢。', ...extra });
  const missingBefore = await so.get(`/api/v1/cycles/${cycle}/followups/missing?term=1`);
  assert.deepEqual(missingBefore.data.items.map((x) => x.student_id).sort(), [...remaining].sort());
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/followups`, visit(upheld.data.student_id))).status, 422,
    'the student removed after the objection is not funded');
  assert.equal((await c.reviewer.post(`/api/v1/cycles/${cycle}/followups`, visit(remaining[0]))).status, 403);
  for (const id of remaining) {
    const r = await so.post(`/api/v1/cycles/${cycle}/followups`, visit(id));
    assert.equal(r.status, 200, r.text);
  }
  assert.deepEqual((await county.get(`/api/v1/cycles/${cycle}/followups/missing?term=1`)).data.items
    .filter((x) => x.school_code === o().school_own), []);

  // --- term adjustment in the spring term ----------------------------------
  const autumn = await so.post(`/api/v1/cycles/${cycle}/adjustments`, {});
  assert.equal(autumn.status, 422, 'only in the second term');
  await on('2025-03-03');
  const opened2 = await so.post(`/api/v1/cycles/${cycle}/adjustments`, {});
  assert.equal(opened2.status, 200, opened2.text);
  assert.equal(opened2.data.round, 2);
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/close`, {})).status, 422, 'a school is adjusting its list');
  for (const p of panel) {
    assert.equal((await p.post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: remaining[0], level: null })).status, 200);
  }
  const ended = await so.post(`/api/v1/cycles/${cycle}/review/revisions`,
    { student_id: remaining[0], level: null, reason: '转学离校' });
  assert.equal(ended.status, 200, ended.text);
  const adj = await so.post(`/api/v1/cycles/${cycle}/announcements`, {});
  assert.equal(adj.status, 200, adj.text);
  publicSeen.announcements.add(adj.data.id);
  await sweepPublic('announcing the adjustment');
  await on('2025-03-12');
  const term2 = await so.post(`/api/v1/cycles/${cycle}/filings`, {});
  assert.equal(term2.status, 200, term2.text);
  assert.equal(term2.data.round, 2);
  assert.equal(term2.data.total, '2000.00', 'term 1 of the ended entry (500) and both terms at level 2 (1500)');
  assert.equal((await county.post(`/api/v1/filings/${term2.data.id}/approve`, {})).status, 200);
  await sweepPublic('adjusted');

  // --- paying term 2, and the surplus of the smaller list returned ---------
  await on('2025-03-18');
  const batch3 = await fin.post(`/api/v1/cycles/${cycle}/payment-batches`, { term: 2 });
  assert.equal(batch3.status, 200, batch3.text);
  assert.equal(batch3.data.total, '750.00', 'term 2 pays the level-2 entry only');
  const approved3 = await county.post(`/api/v1/payment-batches/${batch3.data.id}/approve`, { file_sm3: batch3.data.file_sm3 });
  assert.equal(approved3.status, 200, approved3.text);
  assert.equal((await importReturn(batch3.data.id, returnCsv(approved3.data.lines, false, '2025-03-20'))).data.matched_success, 1);
  const surplus = { transfer_id: 105, cycle_id: cycle, school_code: o().school_own, reason: '第二学期名单调整，余额退回' };
  const returnNoReason = await fin.post('/api/v1/funds/returns', { ...surplus, amount: '500.00', reason: '' });
  assert.equal(returnNoReason.status, 400, returnNoReason.text);
  assert.equal(returnNoReason.data.error.field, 'reason');
  const tooMuch = await fin.post('/api/v1/funds/returns', { ...surplus, amount: '500.01' });
  assert.equal(tooMuch.status, 422, tooMuch.text);
  const surplusBack = await fin.post('/api/v1/funds/returns', { ...surplus, amount: '500.00' });
  assert.equal(surplusBack.status, 200, surplusBack.text);
  const returnAudit = await c.auditor.get('/api/v1/audit?action=funds.return&page_size=5');
  assert.ok(returnAudit.data.items.some((a) => a.summary.includes('第二学期名单调整，余额退回')), 'the reason is in the audit log');
  assert.equal((await fin.post('/api/v1/funds/returns', { ...surplus, amount: '500.00' })).data.result, 'exists');
  const accounts = (await fin.get('/api/v1/funds/accounts')).data.items;
  const payable = accounts.find((a) => a.kind === 'payable' && a.org_code === o().school_own);
  assert.equal(payable.balance, '0.00', 'everything the lists paid, and the surplus back at the county');
  const paidOut = accounts.find((a) => a.kind === 'paid_out' && a.org_code === o().school_own);
  assert.equal(paidOut.balance, '2000.00');
  // The fund-use publication, for the public.
  const published = await fin.post(`/api/v1/cycles/${cycle}/fund-publications`, {});
  assert.equal(published.status, 200, published.text);
  publicSeen.fundUse = true;
  await sweepPublic('fund use published');

  // What each term pays, from the newest approved list: term 1 keeps the
  // ended entry (level 3: 500) beside the level-2 one (750); term 2 only the
  // level-2 one.
  const pay1 = await c.finance.get(`/api/v1/cycles/${cycle}/payables?term=1`);
  assert.equal(pay1.status, 200, pay1.text);
  assert.equal(pay1.data.total, '1250.00');
  assert.deepEqual(pay1.data.items.map((x) => x.student_id).sort(), [...remaining].sort());
  const pay2 = await c.finance.get(`/api/v1/cycles/${cycle}/payables?term=2`);
  assert.deepEqual(pay2.data.items.map((x) => [x.student_id, x.amount]), [[remaining[1], '750.00']]);
  assert.equal((await c.finance.get(`/api/v1/cycles/${cycle}/payables?term=3`)).status, 400);
  assert.equal((await so.get(`/api/v1/cycles/${cycle}/payables?term=1`)).status, 403);

  // Spring follow-up: only the student still funded in term 2 is expected.
  const spring = await so.get(`/api/v1/cycles/${cycle}/followups/missing?term=2`);
  assert.deepEqual(spring.data.items.map((x) => x.student_id), [remaining[1]]);

  // --- feedback: the guardian asks, the school answers ---------------------
  const asked = await c.guardian.post('/api/v1/me/feedback',
    { kind: 'feedback', text: '请问第二学期资助金什么时候发放？', student_id: child });
  assert.equal(asked.status, 200, asked.text);
  const fb = await so.get('/api/v1/feedback?status=OPEN&page_size=100');
  assert.ok(fb.data.items.some((x) => x.id === asked.data.id), 'the school sees its family\'s question');
  assert.equal((await c['school_officer@other'].post(`/api/v1/feedback/${asked.data.id}/answer`,
    { answer: '下月发放' })).status, 404);
  const answered = await so.post(`/api/v1/feedback/${asked.data.id}/answer`, { answer: '第二学期资助金将于三月底前发放到账。' });
  assert.equal(answered.status, 200, answered.text);
  const followed = await anyone().get(`/api/v1/public/feedback/${asked.data.receipt_code}`);
  assert.equal(followed.status, 200);
  assert.equal(followed.data.status, 'ANSWERED');
  publicSeen.feedback = asked.data.receipt_code;
  await sweepPublic('feedback answered');

  // --- the end of the year: closed, read-only -------------------------------
  await on('2025-07-10');
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/close`, {})).status, 403);
  const closed = await county.post(`/api/v1/cycles/${cycle}/close`, {});
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.data.state, 'CLOSED');
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/followups`, visit(remaining[1], { happened_on: '2025-07-09' }))).status, 409);
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/adjustments`, {})).status, 409);
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/close`, {})).status, 409);
  await sweepPublic('closed');

  // The audit log holds every step.
  const audit = await c.auditor.get('/api/v1/audit?page_size=500&action_prefix=');
  const actions = new Set(audit.data.items.map((r) => r.action));
  for (const a of ['announcement.publish', 'objection.submit', 'objection.answer', 'objection.appeal',
    'objection.decide_appeal', 'filing.submit', 'filing.return', 'filing.approve', 'list.revise',
    'list.open_adjustment', 'list.adjust', 'announcement.print', 'followup.add', 'cycle.approve', 'cycle.close',
    'funds.batch.prepare', 'funds.batch.approve', 'funds.batch.file', 'funds.return.import', 'student.bank_card',
    'funds.return']) {
    assert.ok(actions.has(a), `${a} in the audit log`);
  }
  assert.ok(sweeps.length >= 10, `public endpoints swept in ${sweeps.length} states`);
});

test('zizhu ledger check holds after the year', async () => {
  await server.stop({ keep: true });
  const out = execFileSync(ZIZHU, ['ledger', 'check', '--db', server.db, '--key-file', server.keyFile], { encoding: 'utf8' });
  assert.match(out, /./);
  await server.cleanup();
  server = null;
});

test('the public write routes are rate-limited per address', async () => {
  const limited = await startServer(['--public-write-rate-per-minute', '2']);
  try {
    const id = limited.creds.objects.announcement_other_county;
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const r = await new Client(limited.base).post(`/api/v1/public/announcements/${id}/objections`, { text: `第${i}次` });
      statuses.push(r.status);
    }
    assert.deepEqual(statuses.slice(0, 1), [200]);
    assert.ok(statuses.includes(429), statuses.join(','));
  } finally {
    await limited.stop();
  }
});
