// Personal data: masked by default, revealed only with the permission and
// recorded in the audit log, never readable in the database files, never on a
// public path.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// GB 11643: the check character of a resident ID.
function validResidentId(id) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * weights[i];
  return '10X98765432'[sum % 11] === id[17].toUpperCase();
}

// Resident IDs standing on their own (not inside a longer run of hex digits,
// which a blind index or ciphertext may contain by chance).
function residentIdsIn(text) {
  const found = [];
  for (const m of text.matchAll(/(?<![0-9A-Fa-f])[1-9]\d{16}[\dXx](?![0-9A-Fa-f])/g)) {
    if (validResidentId(m[0])) found.push(m[0]);
  }
  return found;
}

test('lists and details show masked values and say so', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  const list = await c.get('/api/v1/students?page_size=50');
  assert.equal(list.status, 200);
  assert.match(list.headers.get('cache-control'), /no-store/);
  assert.ok(list.data.items.length > 0);
  for (const s of list.data.items) {
    assert.equal(s.masked, true);
    assert.deepEqual(residentIdsIn(JSON.stringify(s)), [], JSON.stringify(s));
    if (s.id_number) assert.match(s.id_number, /^\d{6}\*{8}[\dX]{4}$/);
    if (s.bank_card) assert.match(s.bank_card, /^\d{4} \*{4} \*{4} \d{4}$/);
  }
  const detail = await c.get(`/api/v1/students/${server.creds.objects.student_own}`);
  assert.equal(detail.status, 200);
  assert.deepEqual(residentIdsIn(detail.text), []);
});

test('reveal shows the values once, with a reason, and is recorded for the auditor', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  const id = server.creds.objects.student_own;
  const noReason = await c.post(`/api/v1/students/${id}/reveal`, {});
  assert.equal(noReason.status, 400);
  // A reason carrying an ID would put it into the audit log: refused.
  const idInReason = await c.post(`/api/v1/students/${id}/reveal`, { reason: '核对 620102201705061234' });
  assert.equal(idInReason.status, 400);
  assert.equal(idInReason.data.error.field, 'reason');
  const r = await c.post(`/api/v1/students/${id}/reveal`, { reason: '核对银行卡号' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.masked, false);
  assert.equal(residentIdsIn(r.data.id_number ?? '').length + residentIdsIn(r.data.student_no ?? '').length >= 1, true);
  assert.match(r.headers.get('cache-control'), /no-store/);

  const auditor = new Client(server.base);
  await auditor.login(user(server, 'auditor'));
  const log = await auditor.get(`/api/v1/audit?action=student.reveal&object_id=${id}`);
  assert.equal(log.status, 200, log.text);
  const entry = log.data.items.find((x) => x.username === user(server, 'school_officer').username);
  assert.ok(entry, 'the reveal is in the audit log');
  assert.equal(entry.outcome, 'ok');
  assert.equal(entry.ip, '127.0.0.1');
  assert.match(entry.summary, /核对银行卡号/);
  assert.deepEqual(residentIdsIn(log.text), [], 'the audit log holds no plain ID');
});

test('a reviewer may read but not reveal', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'reviewer'));
  const r = await c.post(`/api/v1/students/${server.creds.objects.student_own}/reveal`, { reason: '想看' });
  assert.equal(r.status, 403);
});

test('no resident ID is readable anywhere in the database files', async () => {
  // Make sure the server has written: a reveal and an import happened above
  // or in other tests; the demo import wrote thousands of students.
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    const file = server.db + suffix;
    if (!existsSync(file)) continue;
    const text = readFileSync(file).toString('latin1');
    total += text.length;
    assert.deepEqual(residentIdsIn(text).slice(0, 5), [], `${file} holds resident IDs`);
    assert.doesNotMatch(text, /(?<![0-9A-Fa-f])1[3-9]\d{9}(?![0-9A-Fa-f])/, `${file} holds a phone number`);
  }
  assert.ok(total > 100000, 'the database is not empty');
});

test('public paths return no personal data', async () => {
  const c = new Client(server.base);
  for (const path of ['/api/v1/health', '/api/v1/openapi.json', '/api/v1/public/notices', '/api/v1/public/fund-publications']) {
    const r = await c.get(path);
    assert.equal(r.status, 200);
    assert.deepEqual(residentIdsIn(r.text), []);
  }
  // The announcement running in the demo and its open objection, by receipt:
  // masked names, only the public fields.
  const o = server.creds.objects;
  const running = [`/api/v1/public/announcements/${o.announcement_other_county}`, '/api/v1/public/announcements',
    `/api/v1/public/objections/${o.objection_receipt_other_county}`];
  for (const path of running) {
    const r = await c.get(path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.deepEqual(residentIdsIn(r.text), [], path);
    assert.doesNotMatch(r.text, /student_id|objector_name|"text"|\b1[3-9]\d{9}\b|\d{4}-\d{2}-\d{2}T/, path);
  }
  const shown = (await c.get(running[0])).data;
  assert.ok(shown.rows.length > 0);
  for (const row of shown.rows) {
    assert.match(row.name, /\*/, 'names are masked');
    assert.deepEqual(Object.keys(row).sort(), ['change', 'class_name', 'grade', 'level', 'name', 'no', 'school_name']);
  }
  assert.equal((await c.get(`/api/v1/public/announcements/${o.announcement_own}`)).status, 404, 'ended: taken down');
  // A feedback item by its receipt code: its status, due date and answer only.
  const feedback = await c.get(`/api/v1/public/feedback/${o.feedback_receipt}`);
  assert.equal(feedback.status, 200, feedback.text);
  assert.deepEqual(Object.keys(feedback.data).sort(), ['answer', 'answered_on', 'due_on', 'received_on', 'status', 'status_label']);
  const openapi = JSON.parse((await c.get('/api/v1/openapi.json')).text);
  const publicRoutes = Object.entries(openapi.paths).flatMap(([p, ms]) =>
    Object.entries(ms).filter(([, op]) => op['x-permission'] === 'public').map(([m]) => `${m} ${p}`));
  assert.deepEqual(publicRoutes.sort(),
    ['get /api/v1/health', 'get /api/v1/openapi.json', 'get /api/v1/public/announcements',
      'get /api/v1/public/announcements/{id}', 'get /api/v1/public/notices', 'get /api/v1/public/objections/{receipt}',
      'post /api/v1/auth/login', 'post /api/v1/public/announcements/{id}/objections',
      'post /api/v1/public/objections/{receipt}/appeal',
      'get /api/v1/public/feedback/{code}', 'post /api/v1/public/feedback', 'get /api/v1/public/fund-publications'].sort());
});
