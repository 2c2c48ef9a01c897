// Login, lockout, second factor, CSRF and logout against a real server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, freshTotp, startServer, totp, user } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('health answers without login, with the security headers and no caching', async () => {
  const c = new Client(server.base);
  const r = await c.get('/api/v1/health');
  assert.equal(r.status, 200);
  assert.deepEqual(r.data, { status: 'ok' });
  assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.match(r.headers.get('cache-control'), /no-store/);
});

test('a wrong password and an unknown user get the same answer', async () => {
  const c = new Client(server.base);
  const bad = await c.post('/api/v1/auth/login', { username: user(server, 'school_officer').username, password: 'wrong-password-123' });
  const unknown = await c.post('/api/v1/auth/login', { username: 'nobody-here', password: 'wrong-password-123' });
  assert.equal(bad.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(bad.data.error.code, unknown.data.error.code);
  assert.equal(bad.data.error.message, unknown.data.error.message);
});

test('the session cookie is HttpOnly and SameSite=Strict, and a new one is issued at each login', async () => {
  const u = user(server, 'school_officer');
  const c = new Client(server.base);
  const r = await c.post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.equal(r.status, 200);
  const cookie = r.headers.getSetCookie().find((x) => x.startsWith('zizhu_session='));
  assert.ok(cookie, 'a session cookie');
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Strict/i);
  assert.ok(cookie.split(';')[0].length >= 'zizhu_session='.length + 22, 'at least 128 bits of token');
  const first = c.cookies.get('zizhu_session');
  await c.post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.notEqual(c.cookies.get('zizhu_session'), first);
});

test('five failures lock the account; the right password is then refused too', async () => {
  const u = user(server, 'reviewer');
  const c = new Client(server.base);
  for (let i = 0; i < 5; i++) {
    const r = await c.post('/api/v1/auth/login', { username: u.username, password: `not-the-password-${i}` });
    assert.ok([401, 429].includes(r.status), `attempt ${i}: ${r.status}`);
  }
  const locked = await c.post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.equal(locked.status, 429);
  assert.equal(locked.data.error.code, 'ACCOUNT_LOCKED');
  // The sysadmin can unlock it; then the password works again.
  const admin = new Client(server.base);
  await admin.login(user(server, 'sysadmin'));
  const r = await admin.post(`/api/v1/users/${u.id}/unlock`, {});
  assert.equal(r.status, 200, r.text);
  const again = await c.post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.equal(again.status, 200, again.text);
});

test('a county officer must give the second factor before anything else, and a code works once', async () => {
  const u = user(server, 'county_officer');
  const c = new Client(server.base);
  const r = await c.post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.equal(r.status, 200);
  assert.equal(r.data.stage, 'totp');
  c.csrf = r.data.csrf_token;
  const early = await c.get('/api/v1/students');
  assert.equal(early.status, 403);
  assert.equal(early.data.error.code, 'SECOND_FACTOR_REQUIRED');
  const wrong = await c.post('/api/v1/auth/totp/verify', { code: '000000' === totp(u.totp_secret) ? '111111' : '000000' });
  assert.equal(wrong.status, 422);
  const code = await freshTotp(u);
  const ok = await c.post('/api/v1/auth/totp/verify', { code });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.data.stage, 'ok');
  assert.equal((await c.get('/api/v1/students')).status, 200);
  // The same code again, in a new login: refused (replay).
  const c2 = new Client(server.base);
  const r2 = await c2.post('/api/v1/auth/login', { username: u.username, password: u.password });
  c2.csrf = r2.data.csrf_token;
  const replay = await c2.post('/api/v1/auth/totp/verify', { code });
  assert.equal(replay.status, 422);
});

test('a new account changes its password first, then enrols TOTP, then can use recovery codes', async () => {
  const admin = new Client(server.base);
  await admin.login(user(server, 'sysadmin'));
  const created = await admin.post('/api/v1/users', {
    username: 'finance2', display_name: '新财务', org_code: server.creds.county_code, roles: ['finance'],
  });
  assert.equal(created.status, 200, created.text);
  const temporary = created.data.temporary_password;
  assert.ok(temporary && temporary.length >= 12);

  const c = new Client(server.base);
  const r = await c.post('/api/v1/auth/login', { username: 'finance2', password: temporary });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.stage, 'change_password');
  c.csrf = r.data.csrf_token;
  assert.equal((await c.get('/api/v1/org/tree')).status, 403);

  const weak = await c.post('/api/v1/auth/password', { old_password: temporary, new_password: 'password' });
  assert.equal(weak.status, 422);
  assert.equal(weak.data.error.code, 'WEAK_PASSWORD');
  const common = await c.post('/api/v1/auth/password', { old_password: temporary, new_password: 'aaaaaaaaaaaaaaaa' });
  assert.equal(common.status, 422);
  const newPassword = 'Caiwu-2026-qiuji-zhifu';
  const changed = await c.post('/api/v1/auth/password', { old_password: temporary, new_password: newPassword });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.data.stage, 'totp_enrol');

  const enrol = await c.post('/api/v1/auth/totp/enrol', {});
  assert.equal(enrol.status, 200, enrol.text);
  assert.match(enrol.data.otpauth_uri, /^otpauth:\/\/totp\//);
  assert.match(enrol.data.qr_svg, /^<svg/);
  const secret = enrol.data.secret;
  const confirm = await c.post('/api/v1/auth/totp/confirm', { code: totp(secret) });
  assert.equal(confirm.status, 200, confirm.text);
  assert.equal(confirm.data.stage, 'ok');
  const codes = confirm.data.recovery_codes;
  assert.equal(codes.length, 10);
  assert.equal((await c.get('/api/v1/org/tree')).status, 200);

  // A recovery code instead of the app, once.
  const c2 = new Client(server.base);
  const r2 = await c2.post('/api/v1/auth/login', { username: 'finance2', password: newPassword });
  assert.equal(r2.data.stage, 'totp');
  c2.csrf = r2.data.csrf_token;
  assert.equal((await c2.post('/api/v1/auth/totp/verify', { recovery_code: codes[0] })).status, 200);
  const c3 = new Client(server.base);
  const r3 = await c3.post('/api/v1/auth/login', { username: 'finance2', password: newPassword });
  c3.csrf = r3.data.csrf_token;
  assert.equal((await c3.post('/api/v1/auth/totp/verify', { recovery_code: codes[0] })).status, 422);
});

test('a state-changing request without the CSRF token is refused', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'sysadmin'));
  const without = await c.request('POST', '/api/v1/auth/logout', { json: {}, csrf: false });
  assert.equal(without.status, 403);
  assert.equal(without.data.error.code, 'CSRF');
  const wrong = await c.request('POST', '/api/v1/auth/logout', { json: {}, csrf: false, headers: { 'x-csrf-token': 'x'.repeat(43) } });
  assert.equal(wrong.status, 403);
  assert.equal((await c.get('/api/v1/auth/me')).status, 200, 'still logged in');
});

test('logout ends the session on the server: the old cookie no longer works', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'school_officer'));
  const cookie = c.cookies.get('zizhu_session');
  assert.equal((await c.post('/api/v1/auth/logout', {})).status, 200);
  const replay = new Client(server.base);
  replay.cookies.set('zizhu_session', cookie);
  const r = await replay.get('/api/v1/auth/me');
  assert.equal(r.status, 401);
});

test('the login log records IP and user agent, and the auditor can read it', async () => {
  const c = new Client(server.base);
  await c.login(user(server, 'auditor'));
  const r = await c.get('/api/v1/audit/logins?page_size=500');
  assert.equal(r.status, 200, r.text);
  const failures = r.data.items.filter((x) => x.outcome === 'bad_password');
  assert.ok(failures.length >= 1);
  assert.ok(failures.every((x) => x.ip === '127.0.0.1' && x.user_agent.length > 0));
});

test('an API token reads within its scope, cannot go beyond it, and stops working when revoked', async () => {
  const admin = new Client(server.base);
  await admin.login(user(server, 'sysadmin'));
  const refused = await admin.post('/api/v1/api-tokens', { name: '越权令牌', scopes: ['user.write'] });
  assert.equal(refused.status, 400);
  assert.equal(refused.data.error.field, 'scopes');
  const made = await admin.post('/api/v1/api-tokens', { name: '民政局对接', scopes: ['student.read'], expires_in_days: 30 });
  assert.equal(made.status, 200, made.text);
  assert.match(made.data.token, /^zt_/);
  const bearer = { authorization: `Bearer ${made.data.token}` };
  const raw = new Client(server.base);  // no cookies: the token alone
  const list = await raw.get('/api/v1/students?page_size=5', { headers: bearer });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.data.total > 0);
  assert.ok(list.data.items.every((s) => s.masked));
  const far = await raw.get(`/api/v1/students/${server.creds.objects.student_other_county}`, { headers: bearer });
  assert.equal(far.status, 404);
  assert.equal((await raw.get('/api/v1/users', { headers: bearer })).status, 403);
  assert.equal((await raw.get('/api/v1/auth/me', { headers: bearer })).status, 403);
  // The lists count what they hold (the count used to be read after the
  // items were moved away: total 0).
  const tokens = await admin.get('/api/v1/api-tokens');
  assert.equal(tokens.status, 200, tokens.text);
  assert.ok(tokens.data.items.some((x) => x.id === made.data.id));
  assert.equal(tokens.data.total, tokens.data.items.length);
  assert.equal(tokens.data.items.find((x) => x.id === made.data.id).expired, false, 'judged on the server\'s clock');
  const roles = await admin.get('/api/v1/roles');
  assert.equal(roles.status, 200, roles.text);
  assert.ok(roles.data.items.length >= 7);
  assert.equal(roles.data.total, roles.data.items.length);
  assert.equal((await admin.post(`/api/v1/api-tokens/${made.data.id}/revoke`, {})).status, 200);
  assert.equal((await raw.get('/api/v1/students', { headers: bearer })).status, 401);
  assert.equal((await raw.get('/api/v1/students', { headers: { authorization: 'Bearer zt_forged' } })).status, 401);
});

test('disabling a user ends their sessions at once; enabling lets them log in again', async () => {
  const u = user(server, 'reviewer2');
  const c = new Client(server.base);
  await c.login(u);
  assert.equal((await c.get('/api/v1/auth/me')).status, 200);
  const admin = new Client(server.base);
  await admin.login(user(server, 'sysadmin'));
  assert.equal((await admin.post(`/api/v1/users/${u.id}/disable`, {})).status, 200);
  assert.equal((await c.get('/api/v1/auth/me')).status, 401);
  const again = await new Client(server.base).post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.equal(again.status, 403);
  assert.equal(again.data.error.code, 'ACCOUNT_DISABLED');
  assert.equal((await admin.post(`/api/v1/users/${u.id}/enable`, {})).status, 200);
  assert.equal((await new Client(server.base).post('/api/v1/auth/login', { username: u.username, password: u.password })).status, 200);
});
