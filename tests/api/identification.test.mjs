// Identification in the server for the browser. In the background (POST
// /cycles/{id}/identification-jobs, GET /identification-jobs/{id}): refused
// at once when it could not run, otherwise answered with a job at once (202)
// whose steps the page follows to the run it made; who may start and who may
// watch which job. The search of a run's rows (GET
// /identification-results with school, status, level, flag and name): each
// filter against the same rows filtered here, paging, bad values named, and
// a school never finding another school's rows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
let wholeRun;  // the county-wide run the first test makes
const c = {};
const o = () => server.creds.objects;
before(async () => {
  server = await startServer();
  for (const key of ['county_officer', 'school_officer', 'reviewer', 'auditor', 'county_officer@other']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

// Follows a job until it ends, keeping every state seen.
async function follow(client, id) {
  const seen = [];
  for (let i = 0; i < 600; i++) {
    const r = await client.get(`/api/v1/identification-jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    seen.push(r.data);
    if (r.data.state === 'done' || r.data.state === 'failed') return seen;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  assert.fail(`job ${id} did not end: ${JSON.stringify(seen.at(-1))}`);
}

test('a background run: refused at once, then queued, its steps, the run it made; who sees it', async () => {
  const cycle = o().cycle_own;
  const county = c.county_officer;
  const so = c.school_officer;
  const jobs = `/api/v1/cycles/${cycle}/identification-jobs`;

  // Applications still open: refused before anything is queued.
  const early = await so.post(jobs, {});
  assert.equal(early.status, 409, early.text);
  assert.equal(early.data.error.code, 'STATE_CONFLICT');
  assert.equal((await so.get(jobs)).data.total, 0);
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/close-applications`, {})).status, 200);

  // Permissions and scope as for a direct run.
  assert.equal((await c.reviewer.post(jobs, {})).status, 403);
  assert.equal((await c['county_officer@other'].post(jobs, {})).status, 404);
  const foreign = await so.post(jobs, { school_code: o().school_other });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.data.error.field, 'school_code');

  // The school runs for itself: answered at once, then followed to the end.
  const started = await so.post(jobs, {});
  assert.equal(started.status, 202, started.text);
  assert.equal(started.data.existing, false);
  assert.equal(started.data.school_code, o().school_own);
  assert.ok(['queued', 'running'].includes(started.data.state), started.data.state);
  assert.equal(started.data.run_id, null);
  const seen = await follow(so, started.data.id);
  const end = seen.at(-1);
  assert.equal(end.state, 'done', JSON.stringify(end.error));
  assert.equal(end.error, null);
  assert.equal(end.step, 6);
  assert.equal(end.steps, 6);
  assert.equal(end.done, end.total);
  assert.ok(end.finished_at_ms >= end.started_at_ms && end.started_at_ms >= end.created_at_ms);
  assert.equal(end.percent, 100);
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i].step >= seen[i - 1].step, 'steps only go forward');
    assert.ok(seen[i].percent >= seen[i - 1].percent, 'the percentage only goes up');
  }
  for (const s of seen) assert.ok(s.done <= s.total, JSON.stringify(s));

  // The run it made is the school's newest, audited as the school officer's.
  const runs = await so.get(`/api/v1/cycles/${cycle}/identification-runs`);
  assert.equal(runs.data.items[0].id, end.run_id);
  assert.equal(runs.data.items[0].school_code, o().school_own);
  const results = await so.get(`/api/v1/cycles/${cycle}/identification-results`);
  assert.equal(results.data.run.id, end.run_id);
  assert.ok(results.data.total > 0);
  const audit = await c.auditor.get('/api/v1/audit?action=identification.run&page_size=10');
  assert.ok(audit.data.items.some((a) => a.username === user(server, 'school_officer').username
    && JSON.stringify(a).includes(String(end.run_id))), JSON.stringify(audit.data.items));

  // The county's runs: the whole county (the school watches it: it covers
  // the school) and the other school (hidden from this school).
  const whole = await county.post(jobs, {});
  assert.equal(whole.status, 202, whole.text);
  assert.equal(whole.data.school_code, null);
  const other = await county.post(jobs, { school_code: o().school_other });
  assert.ok([200, 202].includes(other.status), other.text);
  const watched = await so.get(`/api/v1/identification-jobs/${whole.data.id}`);
  assert.equal(watched.status, 200, watched.text);
  assert.equal(watched.data.started_by, user(server, 'county_officer').username);
  assert.equal((await so.get(`/api/v1/identification-jobs/${other.data.id}`)).status, 404);
  assert.equal((await c['county_officer@other'].get(`/api/v1/identification-jobs/${whole.data.id}`)).status, 404);
  assert.equal((await so.get('/api/v1/identification-jobs/999999')).status, 404);
  const mine = (await so.get(jobs)).data.items.map((j) => j.id);
  assert.ok(mine.includes(whole.data.id) && mine.includes(started.data.id) && !mine.includes(other.data.id), String(mine));
  assert.deepEqual((await county.get(jobs)).data.items.map((j) => j.id).slice(0, 3),
    [other.data.id, whole.data.id, started.data.id]);
  const [wholeEnd, otherEnd] = [(await follow(county, whole.data.id)).at(-1), (await follow(county, other.data.id)).at(-1)];
  assert.equal(wholeEnd.state, 'done');
  assert.equal(otherEnd.state, 'done');
  wholeRun = wholeEnd.run_id;
});

test('the search of a run: each filter on the server is the same rows filtered here; paging; bad values', async () => {
  const cycle = o().cycle_own;
  const county = c.county_officer;
  const so = c.school_officer;
  const base = `/api/v1/cycles/${cycle}/identification-results?run_id=${wholeRun}`;
  const all = await county.get(`${base}&page_size=500`);
  assert.equal(all.status, 200, all.text);
  assert.equal(all.data.total, all.data.run.results);
  assert.equal(all.data.scope_total, all.data.total);
  const rows = all.data.items;
  assert.equal(rows.length, all.data.total, 'the demo run fits one page');
  const ids = (items) => items.map((r) => r.row_no);
  const expect = async (client, query, want, label) => {
    const r = await client.get(`${base}&page_size=500&${query}`);
    assert.equal(r.status, 200, `${label}: ${r.text}`);
    assert.deepEqual(ids(r.data.items), ids(want), label);
    assert.equal(r.data.total, want.length, label);
    return r.data;
  };
  const own = rows.filter((r) => r.school_code === o().school_own);
  assert.ok(own.length > 0 && own.length < rows.length);
  const ownData = await expect(county, `school_code=${o().school_own}`, own, 'school');
  assert.equal(ownData.scope_total, rows.length, 'the unfiltered count beside the filtered one');
  const funded = rows.filter((r) => r.status === 'FUNDED');
  assert.ok(funded.length > 0);
  await expect(county, 'status=FUNDED', funded, 'status');
  await expect(county, `school_code=${o().school_own}&status=FUNDED`, funded.filter((r) => r.school_code === o().school_own), 'school and status');
  const level = funded[0].level;
  await expect(county, `level=${level}`, rows.filter((r) => r.level === level), 'level');
  await expect(county, 'level=none', rows.filter((r) => r.level === null), 'no level');
  const flagged = rows.filter((r) => r.flags.length > 0);
  assert.ok(flagged.length > 0, 'the demo has flagged rows');
  await expect(county, 'flag=ANY', flagged, 'any flag');
  const code = flagged[0].flags[0];
  await expect(county, `flag=${code}`, rows.filter((r) => r.flags.includes(code)), 'one flag');
  const named = rows.find((r) => r.student_name);
  await expect(county, `q=${encodeURIComponent(named.student_name)}`,
    rows.filter((r) => r.student_name.includes(named.student_name) || r.student_no.includes(named.student_name)), 'name');
  const tail = named.student_no.slice(-4);
  await expect(county, `q=${encodeURIComponent(tail)}`,
    rows.filter((r) => r.student_name.includes(tail) || r.student_no.includes(tail)), 'masked number');

  // Paging through a filter.
  const second = await county.get(`${base}&status=FUNDED&page=2&page_size=2`);
  assert.deepEqual(ids(second.data.items), ids(funded.slice(2, 4)));
  assert.equal(second.data.total, funded.length);

  // A school finds only its own rows, whatever it asks.
  const schoolAll = await so.get(`${base}&page_size=500`);
  assert.deepEqual(ids(schoolAll.data.items), ids(own));
  assert.equal(schoolAll.data.scope_total, own.length);
  const otherRow = rows.find((r) => r.school_code === o().school_other && r.student_name);
  assert.ok(otherRow);
  const probe = await so.get(`${base}&page_size=500&q=${encodeURIComponent(otherRow.student_name)}`);
  assert.ok(probe.data.items.every((r) => r.school_code === o().school_own), 'no other school\'s row');
  const foreign = await so.get(`${base}&school_code=${o().school_other}`);
  assert.equal(foreign.status, 404);
  assert.equal(foreign.data.error.field, 'school_code');

  // Bad values, each named.
  for (const [query, field] of [['status=MAYBE', 'status'], ['level=abc', 'level'], ['level=0', 'level'],
    ['flag=NOPE', 'flag'], [`q=${'长'.repeat(21)}`, 'q']]) {
    const r = await county.get(`${base}&${encodeURI(query)}`);
    assert.equal(r.status, 400, `${query}: ${r.text}`);
    assert.equal(r.data.error.field, field, query);
  }
});
