// The students a payment batch leaves out, after preparation: the batch
// detail (GET /payment-batches/{id}) lists, read live, every student the
// term's approved lists still owe and no live batch holds, with the reason —
// so a child without a card never silently goes unpaid. Entering the card
// turns "no card" into "not in any batch"; a later batch holding the student
// takes them off the list. Masked data only; the list of batches does not
// compute it and says so (excluded_as_of_ms null).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['finance', 'school_officer', 'auditor', 'county_officer@other']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const o = () => server.creds.objects;
const ids = (rows) => rows.map((e) => e.student_id);

test('a batch detail lists who the term still owes, live, until a batch holds them', async () => {
  const f = c.finance;
  const cycle = o().cycle_past_own;
  const prepared = await f.post(`/api/v1/cycles/${cycle}/payment-batches`, { term: 1 });
  assert.equal(prepared.status, 200, prepared.text);
  assert.equal(prepared.data.excluded_as_of_ms, prepared.data.prepared_at_ms);
  const noCard = prepared.data.excluded.filter((e) => e.reason_code === 'no_card');
  assert.ok(noCard.length >= 1, 'the demo leaves funded pupils without a card');
  assert.ok(prepared.data.excluded.every((e) => e.reason), 'each with a reason');

  // Read later (here by the auditor), the detail lists exactly what prepare left out.
  const url = `/api/v1/payment-batches/${prepared.data.id}`;
  const first = await c.auditor.get(url);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.data.excluded, prepared.data.excluded);
  assert.equal(typeof first.data.excluded_as_of_ms, 'number');
  assert.ok(first.data.excluded_as_of_ms >= prepared.data.prepared_at_ms);
  for (const e of first.data.excluded) {
    assert.match(e.student_no, /\*/, 'the 学籍号 is masked');
    assert.match(e.amount, /^\d+\.\d\d$/);
    assert.ok(e.school_name && e.school_code && e.name && e.student_id);
  }
  assert.doesNotMatch(JSON.stringify(first.data.excluded), /\d{12,}/, 'no full card or ID number');

  // The list of batches does not compute it, and says so.
  const list = await f.get(`/api/v1/cycles/${cycle}/payment-batches`);
  const listed = list.data.items.find((b) => b.id === prepared.data.id);
  assert.deepEqual(listed.excluded, []);
  assert.equal(listed.excluded_as_of_ms, null);

  // The school enters the missing card: still owed, in no batch, so still listed.
  const target = noCard[0];
  const card = await c.school_officer.put(`/api/v1/students/${target.student_id}/bank-card`,
    { bank_card: '6222020200177770003', reason: '学校补录监护人银行卡' });
  assert.equal(card.status, 200, card.text);
  const second = (await f.get(url)).data;
  assert.deepEqual(ids(second.excluded), ids(first.data.excluded));
  const row = second.excluded.find((e) => e.student_id === target.student_id);
  assert.equal(row.reason_code, 'not_in_batch');
  assert.match(row.reason, /尚未纳入任何批次/);

  // Another batch holds the student: gone from the old batch's list (and not
  // in the new one's), the others still there.
  const next = await f.post(`/api/v1/cycles/${cycle}/payment-batches`, { term: 1 });
  assert.equal(next.status, 200, next.text);
  assert.deepEqual(next.data.lines.map((l) => l.student_id), [target.student_id]);
  assert.ok(!ids(next.data.excluded).includes(target.student_id));
  const third = (await f.get(url)).data;
  assert.deepEqual(ids(third.excluded), ids(first.data.excluded).filter((id) => id !== target.student_id));
  assert.deepEqual(ids((await f.get(`/api/v1/payment-batches/${next.data.id}`)).data.excluded), ids(third.excluded));

  // Out of the county's reach the batch, and so its list, is not found.
  assert.equal((await c['county_officer@other'].get(url)).status, 404);
});

test('a student whose payment failed stays listed in the batch with the bank\'s reason', async () => {
  const other = c['county_officer@other'];
  const d = await other.get(`/api/v1/payment-batches/${o().payment_batch_other_county}`);
  assert.equal(d.status, 200, d.text);
  const failed = d.data.lines.find((l) => l.status === 'failed');
  assert.ok(failed, 'the demo\'s refused line');
  const row = d.data.excluded.find((e) => e.student_id === o().payment_student_failed_other_county);
  assert.ok(row, 'the refused student is owed again and in no batch');
  assert.equal(row.reason_code, 'not_in_batch');
  assert.ok(row.reason.includes(`上次付款失败（${failed.reason}）`), row.reason);
  assert.equal(row.amount, failed.amount);
});
