// GET /funds/receipts and /funds/allocations (funds.read): every receipt and
// allocation of the own county, newest first, paged, optionally of one cycle;
// a receipt carries what corrections took back; nothing of another county.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['finance', 'county_officer', 'school_officer', 'auditor', 'county_officer@other', 'guardian']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const o = () => server.creds.objects;

test('receipts and allocations are listed with their corrections, by cycle, paged, in scope', async () => {
  const f = c.finance;
  const cycle = o().cycle_own;
  const before = (await f.get('/api/v1/funds/receipts?page_size=500')).data;
  const r1 = await f.post('/api/v1/funds/receipts',
    { transfer_id: 7001, source: 'central', amount: '5000.00', budget_doc: '财教〔2026〕7号', cycle_id: cycle });
  assert.equal(r1.status, 200, r1.text);
  const r2 = await f.post('/api/v1/funds/receipts', { transfer_id: 7002, source: 'donor', source_name: '助学会甲', amount: '300.00' });
  assert.equal(r2.status, 200, r2.text);
  const fix = await f.post('/api/v1/funds/corrections', { transfer_id: 7003, receipt_id: 7001, amount: '100.00', reason: '多记' });
  assert.equal(fix.status, 200, fix.text);
  const a1 = await f.post('/api/v1/funds/allocations', { transfer_id: 7004, school_code: o().school_own, amount: '800.00', cycle_id: cycle });
  assert.equal(a1.status, 200, a1.text);

  const all = await f.get('/api/v1/funds/receipts?page_size=500');
  assert.equal(all.status, 200, all.text);
  assert.equal(all.data.total, before.total + 2, 'a correction is not a receipt');
  assert.deepEqual(all.data.items.slice(0, 2).map((x) => x.id), [7002, 7001], 'newest first');
  const central = all.data.items.find((x) => x.id === 7001);
  assert.equal(central.source, 'central');
  assert.equal(central.source_label, '中央财政');
  assert.equal(central.budget_doc, '财教〔2026〕7号');
  assert.equal(central.amount, '5000.00');
  assert.equal(central.corrected, '100.00');
  assert.equal(central.cycle_id, cycle);
  assert.equal(central.booked_by, user(server, 'finance').username);
  assert.ok(central.booked_at_ms > 0);
  const donor = all.data.items.find((x) => x.id === 7002);
  assert.equal(donor.source_name, '助学会甲');
  assert.equal(donor.corrected, '0.00');
  assert.equal(donor.cycle_id, null);

  const ofCycle = await f.get(`/api/v1/funds/receipts?cycle_id=${cycle}&page_size=500`);
  assert.ok(ofCycle.data.items.some((x) => x.id === 7001));
  assert.ok(!ofCycle.data.items.some((x) => x.id === 7002), 'the cycle filter leaves out receipts without one');
  assert.ok(ofCycle.data.items.every((x) => x.cycle_id === cycle));
  const paged = await f.get('/api/v1/funds/receipts?page=2&page_size=1');
  assert.equal(paged.data.items.length, 1);
  assert.equal(paged.data.items[0].id, 7001);
  assert.equal(paged.data.total, all.data.total);

  const allocs = await f.get('/api/v1/funds/allocations');
  assert.equal(allocs.status, 200);
  const mine = allocs.data.items.find((x) => x.id === 7004);
  assert.equal(mine.school_code, o().school_own);
  assert.ok(mine.school_name.length > 0);
  assert.equal(mine.amount, '800.00');
  assert.equal(mine.cycle_id, cycle);
  assert.equal(allocs.data.items[0].id, 7004, 'newest first');

  // Readers with funds.read in the county see the same; another county none
  // of it; a cycle out of reach is 404 naming the field; others are refused.
  const audited = await c.auditor.get('/api/v1/funds/receipts?page_size=500');
  assert.equal(audited.status, 200);
  assert.ok(audited.data.items.some((x) => x.id === 7001));
  for (const path of ['/api/v1/funds/receipts?page_size=500', '/api/v1/funds/allocations?page_size=500']) {
    const other = await c['county_officer@other'].get(path);
    assert.equal(other.status, 200);
    assert.ok(!other.data.items.some((x) => [7001, 7002, 7004].includes(x.id)), `${path}: another county's`);
  }
  const outside = await f.get(`/api/v1/funds/receipts?cycle_id=${o().cycle_other_county}`);
  assert.equal(outside.status, 404);
  assert.equal(outside.data.error.field, 'cycle_id');
  assert.equal((await f.get('/api/v1/funds/receipts?cycle_id=abc')).status, 400);
  assert.equal((await c.school_officer.get('/api/v1/funds/receipts')).status, 403);
  assert.equal((await c.guardian.get('/api/v1/funds/allocations')).status, 403);
});
