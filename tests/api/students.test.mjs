// Students through the API: paging rules, and a roster import by a school
// officer that writes their own school only and returns a per-row report; a
// bank card changed by hand, masked in the answer, by the importing roles only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// GB 11643 check character, to build valid IDs for the upload.
function withCheck(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return first17 + '10X98765432'[sum % 11];
}

test('paging: totals, page size limit, bad numbers refused', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'county_officer'));
  const p1 = await c.get('/api/v1/students?page=1&page_size=7');
  assert.equal(p1.status, 200);
  assert.equal(p1.data.items.length, 7);
  const p2 = await c.get('/api/v1/students?page=2&page_size=7');
  assert.equal(p2.data.total, p1.data.total);
  const ids1 = new Set(p1.data.items.map((s) => s.id));
  assert.ok(p2.data.items.every((s) => !ids1.has(s.id)), 'pages do not overlap');
  assert.equal((await c.get('/api/v1/students?page_size=501')).status, 400);
  assert.equal((await c.get('/api/v1/students?page=0')).status, 400);
  assert.equal((await c.get('/api/v1/students?grade=abc')).status, 400);
  const g = await c.get('/api/v1/students?grade=3&page_size=500');
  assert.ok(g.data.items.every((s) => s.grade === 3));
});

test('a roster upload writes the own school and reports every other row', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  const own = server.creds.objects.school_own;
  const other = server.creds.objects.school_other;
  const id1 = withCheck('62010220170506123');
  const id2 = withCheck('62010220170607124');
  const csv = [
    '学籍号,姓名,身份证号,性别,出生日期,学校标识码,年级,班级,是否寄宿,监护人姓名,监护人身份证号,银行卡号',
    `G${id1},测试一,${id1},女,2017-05-06,${own},3,3年级1班,否,测试家长,,`,
    `G${id2},测试二,${id2},男,2017-06-07,${other},3,3年级1班,否,测试家长,,`,
    `G${id1}9,测试三,,男,2017-06-07,${own},12,3年级1班,否,测试家长,,`,
  ].join('\n') + '\n';
  const r = await c.request('POST', '/api/v1/students/import', { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.inserted, 1);
  assert.equal(r.data.rejected, 2);
  assert.deepEqual(r.data.rejects.map((x) => x.row), [3, 4]);
  assert.equal(r.data.rejects[0].reason, 'UNKNOWN_SCHOOL');
  assert.ok(r.data.rejects[1].column.length > 0);
  // Importing the same file again changes nothing.
  const again = await c.request('POST', '/api/v1/students/import', { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(again.data.inserted, 0);
  assert.equal(again.data.unchanged, 1);
  // The import is in the audit log (checked by content in audit tests); the
  // new student is found by its 学籍号.
  const found = await c.get(`/api/v1/students?student_no=G${id1}`);
  assert.equal(found.data.total, 1);
  assert.equal(found.data.items[0].name, '测试一');
});

test('an upload that is not a roster is refused by its content', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const r = await c.request('POST', '/api/v1/students/import', { body: png, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 422);
  const noHeader = await c.request('POST', '/api/v1/students/import', { body: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(noHeader.status, 422);
  assert.match(noHeader.data.error.message, /学籍号|列/);
});

test('a school officer changes a bank card with a reason; the answer is masked, other roles cannot', async () => {
  const o = server.creds.objects;
  const path = `/api/v1/students/${o.student_own}/bank-card`;
  const card = '6217000011112222333';
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  const r = await c.put(path, { bank_card: card, reason: '家长更换了银行卡' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.id, o.student_own);
  assert.equal(r.data.masked, true);
  assert.equal(r.data.bank_card, '6217 **** **** 2333');
  assert.ok(!r.text.includes(card), 'no full card in the answer');
  // Written: the audited reveal shows the new card.
  const shown = await c.post(`/api/v1/students/${o.student_own}/reveal`, { reason: '核对银行卡' });
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.data.bank_card, card);

  // The same card again, a bad card, no reason: refused, naming the field.
  const same = await c.put(path, { bank_card: card, reason: '再换一次' });
  assert.equal(same.status, 422, same.text);
  assert.equal(same.data.error.field, 'bank_card');
  const bad = await c.put(path, { bank_card: '6217-0000', reason: '换卡' });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.data.error.field, 'bank_card');
  const noReason = await c.put(path, { bank_card: '6228480000000000017' });
  assert.equal(noReason.status, 400, noReason.text);
  assert.equal(noReason.data.error.field, 'reason');
  // Another school's student does not exist for this officer.
  const other = await c.put(`/api/v1/students/${o.student_other_school}/bank-card`,
    { bank_card: '6228480000000000017', reason: '换卡' });
  assert.equal(other.status, 404, other.text);
  // A state change needs the anti-CSRF token.
  const noCsrf = await c.request('PUT', path, { json: { bank_card: '6228480000000000017', reason: '换卡' }, csrf: false });
  assert.equal(noCsrf.status, 403, noCsrf.text);

  for (const key of ['guardian', 'reviewer']) {
    const x = new Client(server.base);
    await x.login(user(server, key));
    const denied = await x.put(path, { bank_card: '6228480000000000017', reason: '换卡' });
    assert.equal(denied.status, 403, `${key}: ${denied.text}`);
  }
  // Nothing of the refused requests was written.
  const after = await c.get(`/api/v1/students/${o.student_own}`);
  assert.equal(after.data.bank_card, '6217 **** **** 2333');
});
