// Publishing and audit through the API against a real server (docs/funds.md
// "Fund-use publication and audit report"): finance records receipts and
// publishes the cycle's fund use; anyone reads the publication without
// logging in, with no personal data and its SM3 matching the exact bytes;
// the auditor downloads the audit report of a period as XLSX; the others are
// refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['finance', 'county_officer', 'auditor', 'school_officer']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const o = () => server.creds.objects;

test('publish the fund use, read it in public, download the audit report', async () => {
  const cycle = o().cycle_own;
  const receipt = (body) => c.finance.post('/api/v1/funds/receipts', body);
  assert.equal((await receipt({ transfer_id: 501, source: 'central', amount: '80000.00', budget_doc: '财教〔2026〕7号',
    cycle_id: cycle })).status, 200);
  assert.equal((await receipt({ transfer_id: 502, source: 'donor', source_name: '兰州市慈善总会', amount: '1234.56',
    cycle_id: cycle })).status, 200);
  assert.equal((await receipt({ transfer_id: 503, source: 'local', amount: '300.00', budget_doc: '县财〔2026〕3号' })).status, 200);
  const alloc = await c.finance.post('/api/v1/funds/allocations',
    { transfer_id: 504, school_code: o().school_own, amount: '20000.00', cycle_id: cycle });
  assert.equal(alloc.status, 200, alloc.text);

  // Only finance publishes.
  assert.equal((await c.county_officer.post(`/api/v1/cycles/${cycle}/fund-publications`, {})).status, 403);
  assert.equal((await c.finance.post(`/api/v1/cycles/${o().cycle_other_county}/fund-publications`, {})).status, 404);
  const published = await c.finance.post(`/api/v1/cycles/${cycle}/fund-publications`, {});
  assert.equal(published.status, 200, published.text);
  const p = published.data;
  assert.equal(p.content_sm3.length, 64);
  const figures = JSON.parse(p.content);
  assert.equal(figures.format, 'zizhu-fund-use-1');
  const by = (key) => figures.sources.find((s) => s.source === key);
  assert.equal(by('central').received_fen, 8000000);
  assert.equal(by('donor').received_fen, 123456);
  assert.deepEqual(by('donor').donors, [{ name: '兰州市慈善总会', received_fen: 123456, received_without_cycle_fen: 0 }]);
  assert.equal(by('local').received_without_cycle_fen, 30000);
  assert.equal(figures.totals.received_fen, 8123456);
  assert.equal(figures.allocated_fen, 2000000);

  // The public: no login, the same bytes, no personal data.
  const anon = new Client(server.base);
  const listed = await anon.get(`/api/v1/public/fund-publications?county=${server.creds.county_code}`);
  assert.equal(listed.status, 200, listed.text);
  assert.equal(listed.data.total, 1);
  const shown = listed.data.items[0];
  assert.equal(shown.content, p.content);
  assert.equal(shown.content_sm3, p.content_sm3);
  assert.deepEqual(shown.figures, figures);
  assert.doesNotMatch(listed.text, /student_id|student_no|name_masked|card|guardian|published_by|username|\d{17}[\dXx]/);
  assert.equal((await anon.get('/api/v1/public/fund-publications?county=999999')).data.total, 0);
  // SM3 of the exact bytes, if this Node's OpenSSL has SM3.
  let sm3 = null;
  try { sm3 = createHash('sm3'); } catch { /* not built in */ }
  if (sm3) assert.equal(sm3.update(Buffer.from(shown.content, 'utf8')).digest('hex'), shown.content_sm3);

  // The audit report: funds.read, an .xlsx named for the county and period.
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const path = `/api/v1/funds/audit-report?from=2026-01-01&to=${today}`;
  const res = await fetch(server.base + path, {
    headers: { cookie: [...c.auditor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'),
    new RegExp(`attachment; filename="audit-${server.creds.county_code}-2026-01-01-${today}\\.xlsx"`));
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.ok(bytes.length > 1000);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip (PK) file');
  assert.equal((await c.school_officer.get(path)).status, 403);
  assert.equal((await c.auditor.get('/api/v1/funds/audit-report?from=2026-12-31&to=2026-01-01')).status, 400);
  assert.equal((await c.auditor.get(`${path}&county=${server.creds.other_county_code}`)).status, 404);

  const audit = await c.auditor.get('/api/v1/audit?page_size=200');
  const actions = audit.data.items.map((r) => r.action);
  for (const a of ['funds.publish', 'funds.audit_report']) assert.ok(actions.includes(a), a);
});
