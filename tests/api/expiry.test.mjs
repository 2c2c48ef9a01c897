// Sessions end after the idle time and after the absolute time, on the server.
// The server is started with both shortened (they are settings, server.md).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, startServer, user } from './harness.mjs';

let server;
before(async () => { server = await startServer(['--session-idle-s', '2', '--session-absolute-s', '5']); });
after(async () => { await server?.stop(); });

test('a session idle for longer than the idle time is ended', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  assert.equal((await c.get('/api/v1/auth/me')).status, 200);
  await sleep(3000);
  const r = await c.get('/api/v1/auth/me');
  assert.equal(r.status, 401);
  assert.equal(r.data.error.code, 'SESSION_EXPIRED');
});

test('a busy session still ends at the absolute time', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  const started = Date.now();
  let status = 200;
  while (Date.now() - started < 8000 && status === 200) {
    await sleep(1000);
    status = (await c.get('/api/v1/auth/me')).status;
  }
  assert.equal(status, 401);
  assert.ok(Date.now() - started >= 4000);
});
