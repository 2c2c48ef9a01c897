// Every API answer carries the server's clock (X-Zizhu-Now-Ms): the front
// end judges "today", "overdue" and default dates by it, not by the device's
// clock (docs/web.md). With --test-clock the header follows the moved clock,
// on answers and refusals alike.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(['--test-clock']); });
after(async () => { await server?.stop(); });

const nowOf = (r) => Number(r.headers.get('x-zizhu-now-ms'));

test('the server\'s clock is in every API answer, and follows the test clock', async () => {
  const real = await fetch(`${server.base}/api/v1/health`);
  assert.equal(real.status, 200);
  assert.ok(Math.abs(nowOf(real) - Date.now()) < 60_000, `near the real clock: ${nowOf(real)}`);

  const set = Date.parse('2024-09-03T10:00:00+08:00');
  const moved = await fetch(`${server.base}/api/v1/test/clock`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now_ms: set }),
  });
  assert.equal(moved.status, 200, await moved.text());
  const health = await fetch(`${server.base}/api/v1/health`);
  assert.ok(nowOf(health) >= set && nowOf(health) < set + 60_000, `the moved clock: ${nowOf(health)}`);
  const refused = await fetch(`${server.base}/api/v1/auth/me`);
  assert.equal(refused.status, 401);
  assert.ok(nowOf(refused) >= set && nowOf(refused) < set + 60_000, 'on a refusal too');
});
