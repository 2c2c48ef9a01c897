// Money into the aid through the API against a real server: finance records
// receipts per source (fiscal ones with their budget document, a donor by
// name) into the county's dedicated account, allocates to a school, and
// commits an approved list; retries with the same transfer id change nothing,
// a reused id with other content is refused naming the field, the dedicated
// account and a school's allocation are never overdrawn, only finance writes,
// and `zizhu ledger check` holds on the database afterwards.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Client, startServer, user, ZIZHU } from './harness.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['finance', 'county_officer', 'school_officer', 'auditor', 'county_officer@other']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const o = () => server.creds.objects;

test('receipts, allocation and commitment through the ledger', async () => {
  const f = c.finance;
  const receipt = (body) => f.post('/api/v1/funds/receipts', body);
  const central = { transfer_id: 101, source: 'central', amount: '200000.00', budget_doc: '财教〔2026〕58号' };
  const first = await receipt(central);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.data.result, 'ok');
  // A retry after a timeout: same id, same content — nothing more is booked.
  const retry = await receipt(central);
  assert.equal(retry.status, 200);
  assert.equal(retry.data.result, 'exists');
  const changed = await receipt({ ...central, amount: '200001.00' });
  assert.equal(changed.status, 422);
  assert.match(changed.data.error.message, /exists_with_different_amount_fen/);
  // Fiscal money names its budget document; a donor is named.
  assert.equal((await receipt({ transfer_id: 102, source: 'local', amount: '1.00' })).data.error.field, 'budget_doc');
  assert.equal((await receipt({ transfer_id: 103, source: 'donor', amount: '5000.00' })).data.error.field, 'source_name');
  assert.equal((await receipt({ transfer_id: 104, source: 'donor', source_name: '兰州市慈善总会', amount: '5000.00' })).status, 200);
  assert.equal((await receipt({ transfer_id: 105, source: 'local', amount: '12.345', budget_doc: 'x' })).data.error.field, 'amount');
  assert.equal((await receipt({ transfer_id: 2 ** 41, source: 'local', amount: '1.00', budget_doc: 'x' })).data.error.field, 'transfer_id');
  // Only finance books money; others may read.
  assert.equal((await c.county_officer.post('/api/v1/funds/receipts', { ...central, transfer_id: 106 })).status, 403);
  assert.equal((await c.school_officer.get('/api/v1/funds/accounts')).status, 403);

  // Allocations never exceed what the dedicated account holds.
  const over = await f.post('/api/v1/funds/allocations', { transfer_id: 201, school_code: o().school_own, amount: '205000.01' });
  assert.equal(over.status, 422);
  assert.match(over.data.error.message, /exceeds_credits/);
  const alloc = await f.post('/api/v1/funds/allocations', { transfer_id: 202, school_code: o().school_own, amount: '30000.00' });
  assert.equal(alloc.status, 200, alloc.text);
  assert.equal((await f.post('/api/v1/funds/allocations',
    { transfer_id: 203, school_code: o().school_other_county, amount: '1.00' })).status, 404);

  // The demo's approved list of last year at the own school: its total is
  // reserved from the allocation, once.
  const committed = await f.post(`/api/v1/filings/${o().filing_own}/commitment`, {});
  assert.equal(committed.status, 200, committed.text);
  assert.equal(committed.data.pending, true);
  const again = await f.post(`/api/v1/filings/${o().filing_own}/commitment`, {});
  assert.equal(again.data.result, 'exists');
  assert.equal((await f.post(`/api/v1/filings/${o().filing_other_county}/commitment`, {})).status, 404);

  const accounts = await c.auditor.get('/api/v1/funds/accounts');
  assert.equal(accounts.status, 200);
  const byKind = (kind, org) => accounts.data.items.find((a) => a.kind === kind && (!org || a.org_code === org));
  assert.equal(byKind('dedicated').balance, '175000.00');  // 200,000 + 5,000 − 30,000
  assert.equal(byKind('source_central').balance, '-200000.00');
  assert.equal(byKind('school_allocation', o().school_own).credits_posted, '30000.00');
  assert.equal(byKind('school_allocation', o().school_own).debits_pending, committed.data.amount);
  assert.equal(byKind('payable', o().school_own).credits_pending, committed.data.amount);
  assert.equal((await c['county_officer@other'].get(`/api/v1/funds/accounts?county=${server.creds.county_code}`)).status, 404);

  const audit = await c.auditor.get('/api/v1/audit?page_size=200');
  const actions = audit.data.items.map((r) => r.action);
  for (const a of ['funds.receipt', 'funds.allocate', 'funds.commit']) assert.ok(actions.includes(a), a);
  assert.equal(actions.filter((a) => a === 'funds.receipt').length, 2, 'a retry is not booked or recorded twice');
});

test('zizhu ledger check holds on the database', async () => {
  await server.stop({ keep: true });
  const out = execFileSync(ZIZHU, ['ledger', 'check', '--db', server.db, '--key-file', server.keyFile], { encoding: 'utf8' });
  assert.match(out, /./);
  await server.cleanup();
  server = null;
});
