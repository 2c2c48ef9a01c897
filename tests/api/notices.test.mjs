// Policy notices: a county publishes, the public reads without logging in
// (only notices in force, only public fields), a withdrawn one leaves the
// public page and keeps its record; schools and other counties cannot
// publish or withdraw the county's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['county_officer', 'school_officer', 'county_officer@other', 'auditor']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

test('publish, read publicly, withdraw', async () => {
  const o = server.creds.objects;
  const anyone = new Client(server.base);
  const before = await anyone.get(`/api/v1/public/notices?county=${server.creds.county_code}`);
  assert.equal(before.status, 200);
  assert.ok(before.data.items.some((n) => n.id === o.notice_own), 'the demo notice is public');
  assert.ok(before.data.items.every((n) => n.county_code === server.creds.county_code));
  assert.ok(before.data.items.every((n) => !('withdrawn' in n) && !('published_at_ms' in n)));
  const all = await anyone.get('/api/v1/public/notices');
  assert.ok(all.data.items.some((n) => n.id === o.notice_other_county));
  assert.deepEqual((await anyone.get('/api/v1/public/notices?county=999999')).data.items, []);

  const bad = await c.county_officer.post('/api/v1/notices', { title: '', body: '正文' });
  assert.equal(bad.status, 400);
  assert.equal(bad.data.error.field, 'title');
  assert.equal((await c.school_officer.post('/api/v1/notices', { title: '通知', body: '正文' })).status, 403);
  const made = await c.county_officer.post('/api/v1/notices', { title: '资助政策解读', body: '一、资助对象……' });
  assert.equal(made.status, 200, made.text);
  assert.match(made.data.published_on, /^\d{4}-\d{2}-\d{2}$/);
  const now = await anyone.get(`/api/v1/public/notices?county=${server.creds.county_code}`);
  assert.equal(now.data.items[0].id, made.data.id, 'newest first');

  assert.equal((await c['county_officer@other'].post(`/api/v1/notices/${made.data.id}/withdraw`, {})).status, 404);
  const gone = await c.county_officer.post(`/api/v1/notices/${made.data.id}/withdraw`, {});
  assert.equal(gone.status, 200);
  assert.equal(gone.data.withdrawn, true);
  assert.equal((await c.county_officer.post(`/api/v1/notices/${made.data.id}/withdraw`, {})).status, 409);
  const after = await anyone.get('/api/v1/public/notices');
  assert.ok(!after.data.items.some((n) => n.id === made.data.id));
  const staff = await c.school_officer.get('/api/v1/notices');
  assert.ok(staff.data.items.find((n) => n.id === made.data.id).withdrawn, 'the record stays for staff');
  const audit = await c.auditor.get(`/api/v1/audit?object_type=notice&object_id=${made.data.id}`);
  assert.deepEqual(audit.data.items.map((r) => r.action).sort(), ['notice.publish', 'notice.withdraw']);
});
