// The users and students lists as .xlsx (GET /api/v1/students/export and
// /api/v1/users/export, app/list_exports.h): the same filters as the list
// give the same rows, students only in masked form (no plain ID or card
// anywhere in the sheet), a school officer's file holds only their school,
// each export is in the audit log, and a role without the list's permission
// is refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';
import { download as downloadWith, sheetRows, zipEntry } from './xlsx_read.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['sysadmin', 'auditor', 'county_officer', 'school_officer']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const download = (client, path) => downloadWith(server.base, client, path);

// An export: a zip, its one sheet's rows (header first).
async function exported(client, path, namePattern) {
  const r = await download(client, path);
  assert.equal(r.status, 200, r.body.toString());
  assert.equal(r.body.subarray(0, 2).toString(), 'PK', 'an xlsx is a zip');
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), namePattern);
  const xml = zipEntry(r.body, 'xl/worksheets/sheet1.xml');
  const rows = sheetRows(xml);
  assert.equal(Number(r.headers.get('x-rows')), rows.length - 1, 'X-Rows counts the rows after the header');
  return { xml, rows, header: rows[0], data: rows.slice(1) };
}

const fileName = (what) => new RegExp(`attachment; filename="${what}-\\d+-\\d{4}-\\d\\d-\\d\\d\\.xlsx"`);

test('students export: the list\'s rows, masked, in scope, audited', async () => {
  // A student's plain numbers, to look for in the file: revealed with a reason.
  const id = server.creds.objects.student_own;
  const shown = await c.county_officer.post(`/api/v1/students/${id}/reveal`, { reason: '核对导出（测试）' });
  assert.equal(shown.status, 200, shown.text);
  const plain = [shown.data.id_number, shown.data.bank_card?.replace(/\s/g, ''), shown.data.student_no]
    .filter((x) => x && x.length >= 12);
  assert.ok(plain.length >= 2, 'the revealed student has an ID number and a card');

  const list = await c.county_officer.get('/api/v1/students?page_size=1');
  assert.equal(list.status, 200);
  assert.ok(list.data.total > 0);
  const all = await exported(c.county_officer, '/api/v1/students/export', fileName('students'));
  assert.equal(all.data.length, list.data.total, 'one row per student the list finds');
  assert.ok(all.header.includes('身份证件号（脱敏）'));
  assert.ok(all.data.some((r) => r[1] === shown.data.name), 'the revealed student is in the file');
  // No plain number anywhere in the sheet: not the revealed one, not any
  // 18-character resident ID, not any run of 12+ digits (a card).
  for (const p of plain) assert.ok(!all.xml.includes(p), `no plain ${p.slice(0, 4)}… in the file`);
  assert.doesNotMatch(all.xml, /(?<![0-9A-Fa-f])[1-9]\d{16}[\dXx](?![0-9A-Fa-f])/, 'no resident ID');
  assert.doesNotMatch(all.xml, /\d{12,}/, 'no card number or plain 学籍号');
  for (const r of all.data) {
    if (r[2]) assert.match(r[2], /^\d{6}\*{8}[\dX]{4}$/, 'masked ID number');
    if (r[10]) assert.match(r[10], /^\d{4} \*{4} \*{4} \d{4}$/, 'masked bank card');
  }

  // The same filters as the list: grade and school.
  const first = (await c.county_officer.get('/api/v1/students?page_size=1')).data.items[0];
  const query = `?school_code=${first.school_code}&grade=${first.grade}`;
  const some = await c.county_officer.get(`/api/v1/students${query}&page_size=1`);
  const filtered = await exported(c.county_officer, `/api/v1/students/export${query}`, fileName('students'));
  assert.equal(filtered.data.length, some.data.total);
  assert.ok(filtered.data.length < all.data.length, 'the filter narrows the file');
  for (const r of filtered.data) {
    assert.equal(r[4], first.school_code);
    assert.equal(r[6], String(first.grade));
  }
  // A bad filter is refused as the list refuses it.
  const bad = await download(c.county_officer, '/api/v1/students/export?grade=12');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).error.field, 'grade');

  // A school officer's file: their school only, all of it.
  const own = await c.school_officer.get('/api/v1/students?page_size=500');
  const schools = new Set(own.data.items.map((s) => s.school_code));
  assert.equal(schools.size, 1);
  const mine = await exported(c.school_officer, '/api/v1/students/export', fileName('students'));
  assert.equal(mine.data.length, own.data.total);
  assert.ok(mine.data.length < all.data.length, 'fewer than the county');
  assert.deepEqual(new Set(mine.data.map((r) => r[4])), schools);

  // In the audit log, with the filters and the row count.
  const log = await c.auditor.get('/api/v1/audit?action=student.export&page_size=50');
  assert.equal(log.status, 200);
  assert.equal(log.data.total, 3);
  const withGrade = log.data.items.find((x) => /"grade":"\d"/.test(x.summary));
  assert.ok(withGrade, JSON.stringify(log.data.items));
  assert.match(withGrade.summary, new RegExp(`"school_code":"${first.school_code}"`));
  assert.match(withGrade.summary, new RegExp(`"rows":"${some.data.total}"`));
  assert.ok(log.data.items.some((x) => x.username === user(server, 'school_officer').username &&
    x.summary.includes(`"rows":"${own.data.total}"`)));
});

test('users export: the list\'s rows, no secrets, audited', async () => {
  const list = await c.sysadmin.get('/api/v1/users?page_size=500');
  assert.equal(list.status, 200);
  const users = await exported(c.sysadmin, '/api/v1/users/export', fileName('users'));
  assert.equal(users.data.length, list.data.total);
  assert.deepEqual(users.data.map((r) => r[0]).sort(), list.data.items.map((u) => u.username).sort());
  assert.deepEqual(users.header.slice(0, 5), ['用户名', '姓名', '机构代码', '机构', '角色']);
  // Roles by their Chinese labels; the sysadmin has logged in.
  const admin = users.data.find((r) => r[0] === user(server, 'sysadmin').username);
  assert.match(admin[4], /系统管理员/);
  assert.match(admin[9], /^\d{4}-\d\d-\d\d \d\d:\d\d$/, 'last login');
  assert.doesNotMatch(users.xml, /argon2|\$[0-9a-z]+\$/i, 'no password hash');
  assert.ok(!users.xml.includes(user(server, 'sysadmin').password), 'no password');

  // The list's filters narrow the file the same way.
  const named = await c.sysadmin.get('/api/v1/users?username=school&page_size=1');
  const some = await exported(c.sysadmin, '/api/v1/users/export?username=school', fileName('users'));
  assert.equal(some.data.length, named.data.total);
  assert.ok(some.data.length < users.data.length);

  const log = await c.auditor.get('/api/v1/audit?action=user.export');
  assert.equal(log.data.total, 2);
  assert.ok(log.data.items.some((x) => x.summary.includes('"username":"school"') &&
    x.summary.includes(`"rows":"${named.data.total}"`)));
});

test('exports need the list\'s permission', async () => {
  // The auditor reads neither list; the sysadmin sees no student; the county
  // officer manages no users.
  assert.equal((await download(c.auditor, '/api/v1/students/export')).status, 403);
  assert.equal((await download(c.sysadmin, '/api/v1/students/export')).status, 403);
  assert.equal((await download(c.county_officer, '/api/v1/users/export')).status, 403);
  assert.equal((await download(c.auditor, '/api/v1/users/export')).status, 403);
  assert.equal((await download(new Client(server.base), '/api/v1/users/export')).status, 401);
  // Refusals leave no export in the log.
  const log = await c.auditor.get('/api/v1/audit?action=student.export&username=' + user(server, 'auditor').username);
  assert.equal(log.data.total, 0);
});
