// The audit log as .xlsx (GET /api/v1/audit/export, app/audit_export.h): the
// same filters as the list give the same records, the file holds them (read
// back from the zip here), the export is itself audited, bad dates name
// their field, and nothing outside the auditor's subtree is in the file.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';
import { download as downloadWith, zipEntry } from './xlsx_read.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['auditor', 'county_officer', 'county_officer@other']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const download = (client, query) => downloadWith(server.base, client, `/api/v1/audit/export${query}`);

test('audit export: the filtered records in an xlsx, the export audited', async () => {
  // Something to find: a reveal with a reason, by the county officer.
  const reason = '核对监护人信息（导出测试）';
  const shown = await c.county_officer.post(`/api/v1/students/${server.creds.objects.student_own}/reveal`, { reason });
  assert.equal(shown.status, 200, shown.text);

  const list = await c.auditor.get('/api/v1/audit?action=student.reveal&page_size=500');
  assert.equal(list.status, 200);
  assert.ok(list.data.total >= 1);
  const r = await download(c.auditor, '?action=student.reveal');
  assert.equal(r.status, 200, r.body.toString());
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="audit-log-\d+-\d{4}-\d\d-\d\d\.xlsx"/);
  assert.equal(r.headers.get('x-rows'), String(list.data.total));
  assert.equal(r.body.subarray(0, 2).toString(), 'PK');
  // Written in constant-memory mode: the strings are inline in the sheet.
  const sheet = zipEntry(r.body, 'xl/worksheets/sheet1.xml');
  assert.ok(sheet.includes(reason), 'the reason is in the file');
  assert.ok(sheet.includes('student.reveal'));
  assert.ok(zipEntry(r.body, 'xl/workbook.xml').includes('审计日志'), 'the sheet\'s name');
  assert.equal((sheet.match(/<row /g) || []).length, list.data.total + 1, 'a header and one row per record');

  // The export is in the log, with its filters and row count.
  const audited = await c.auditor.get('/api/v1/audit?action=audit.export');
  assert.equal(audited.data.total, 1);
  assert.match(audited.data.items[0].summary, /"action":"student.reveal"/);
  assert.match(audited.data.items[0].summary, new RegExp(`"rows":"${list.data.total}"`));

  // Everything of the auditor's subtree, nothing of the other county (whose
  // officer logged in above).
  const allList = await c.auditor.get('/api/v1/audit?page_size=1');
  const all = await download(c.auditor, '');
  assert.equal(all.status, 200);
  assert.equal(all.headers.get('x-rows'), String(allList.data.total), 'every record of the subtree');
  const allStrings = zipEntry(all.body, 'xl/worksheets/sheet1.xml');
  assert.ok(allStrings.includes('>county<'), 'the own county officer');
  assert.ok(!allStrings.includes(user(server, 'county_officer@other').username), 'not the other county');

  // A date range: today's records only; a day with none gives a header alone.
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const day = await download(c.auditor, `?from=${today}&to=${today}&action=student.reveal`);
  assert.equal(day.status, 200);
  assert.ok(Number(day.headers.get('x-rows')) >= 1);
  const none = await download(c.auditor, '?from=2001-01-01&to=2001-01-02');
  assert.equal(none.status, 200);
  assert.equal(none.headers.get('x-rows'), '0');
});

test('audit export: bad dates name their field; only the audit.read role', async () => {
  const bad = await download(c.auditor, '?from=yesterday');
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).error.field, 'from');
  const badTo = await download(c.auditor, '?to=2024-13-01');
  assert.equal(badTo.status, 400);
  assert.equal(JSON.parse(badTo.body).error.field, 'to');
  assert.equal((await download(c.county_officer, '')).status, 403);
});
