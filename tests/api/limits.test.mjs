// Limits: an oversized body is refused with 413 before it is read, a flood of
// logins from one address gets 429, and the server stays up.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
before(async () => { server = await startServer(['--login-rate-per-minute', '20']); });
after(async () => { await server?.stop(); });

test('a JSON body over the route limit gets 413', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'sysadmin'));
  const big = 'x'.repeat(2 * 1024 * 1024);
  const r = await c.request('POST', '/api/v1/users', { body: big, headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 413);
  assert.equal(r.data.error.code, 'TOO_LARGE');
});

test('a roster upload over its limit gets 413', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  const big = Buffer.alloc(70 * 1024 * 1024, 0x41);
  const r = await c.request('POST', '/api/v1/students/import', { body: big, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 413);
});

test('a malformed JSON body gets 400 naming the problem', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'sysadmin'));
  const r = await c.request('POST', '/api/v1/users', { body: '{"username": ', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.data.error.code, 'BAD_JSON');
  const field = await c.post('/api/v1/users', { username: 'ok-name', display_name: '某', org_code: server.creds.county_code, roles: ['no_such_role'] });
  assert.equal(field.status, 400);
  assert.equal(field.data.error.field, 'roles');
});

test('a flood of logins from one address gets 429, and the server still answers', async () => {
  const c = new Client(server.base);
  const statuses = [];
  for (let i = 0; i < 40; i++) {
    const r = await c.post('/api/v1/auth/login', { username: `flood${i}`, password: 'not-a-real-password' });
    statuses.push(r.status);
  }
  assert.ok(statuses.includes(429), statuses.join(','));
  assert.ok(statuses.slice(0, 5).every((s) => s === 401), statuses.join(','));
  const limited = await c.post('/api/v1/auth/login', { username: 'x', password: 'y' });
  assert.equal(limited.status, 429);
  assert.ok(limited.headers.get('retry-after'));
  assert.equal((await c.get('/api/v1/health')).status, 200);
});
