// The staff's search over a cycle's applications, answered by the server
// (GET /api/v1/cycles/{id}/applications?q=&class_name=&state=&decision=):
// each filter against the whole list filtered here, the totals of the whole
// search on every page, a bad parameter refused naming itself, and a school
// officer who never reaches another school's applications by searching.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['county_officer', 'school_officer', 'guardian', 'county_officer@other']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const o = () => server.creds.objects;
const list = (who, cycle, query = '') => c[who].get(`/api/v1/cycles/${cycle}/applications?page_size=500${query}`);
const ids = (items) => items.map((a) => a.id).sort((x, y) => x - y);
const enc = encodeURIComponent;

// The search's answer equals the whole list filtered by `keep`.
async function sameAs(who, cycle, query, keep, whole) {
  const r = await list(who, cycle, query);
  assert.equal(r.status, 200, `${query}: ${r.text}`);
  const expected = whole.filter(keep);
  assert.deepEqual(ids(r.data.items), ids(expected), query);
  assert.equal(r.data.total, expected.length, query);
  return r.data;
}

test('each filter: name part, whole 学籍号, class, state, decision, and paging totals', async () => {
  const cycle = o().cycle_own;
  const county = 'county_officer';
  // One withdrawn application, so that the state filter has both kinds.
  const withdrawn = await c.guardian.post(`/api/v1/me/applications/${o().application_own}/withdraw`, {});
  assert.equal(withdrawn.status, 200, withdrawn.text);

  const whole = (await list(county, cycle)).data;
  assert.equal(whole.items.length, whole.total, 'the demo county fits one page');
  assert.ok(whole.total >= 4, `enough applications to search: ${whole.total}`);
  const someone = whole.items.find((a) => [...a.student_name].length >= 2);
  const name = someone.student_name;
  const surname = [...name][0];
  const givenPart = [...name].slice(1).join('');

  // A part of the name anywhere in it, the whole name, a name nobody has.
  await sameAs(county, cycle, `&q=${enc(surname)}`, (a) => a.student_name.includes(surname), whole.items);
  await sameAs(county, cycle, `&q=${enc(givenPart)}`, (a) => a.student_name.includes(givenPart), whole.items);
  await sameAs(county, cycle, `&q=${enc(name)}`, (a) => a.student_name.includes(name), whole.items);
  await sameAs(county, cycle, `&q=${enc(' ' + name + '\u3000')}`, (a) => a.student_name.includes(name), whole.items);
  assert.equal((await list(county, cycle, `&q=${enc('查无此人')}`)).data.total, 0);
  // LIKE's wildcards are plain characters here.
  assert.equal((await list(county, cycle, `&q=${enc('%')}`)).data.total, 0);
  assert.equal((await list(county, cycle, `&q=${enc('_')}`)).data.total, 0);

  // A whole 学籍号 (sealed in the database: found through its blind index);
  // the kind letter may be typed in lower case. The masked form finds nothing.
  const shown = await c[county].post(`/api/v1/students/${someone.student_id}/reveal`, { reason: '核对申请学生' });
  assert.equal(shown.status, 200, shown.text);
  const number = shown.data.student_no;
  assert.match(number, /^[GJL][0-9]{17}[0-9X]$/);
  await sameAs(county, cycle, `&q=${enc(number)}`, (a) => a.id === someone.id, whole.items);
  await sameAs(county, cycle, `&q=${enc(number[0].toLowerCase() + number.slice(1))}`, (a) => a.id === someone.id, whole.items);
  assert.equal((await list(county, cycle, `&q=${enc(someone.student_no)}`)).data.total, 0);

  // Class: a part of the class name.
  const klass = someone.class_name;
  await sameAs(county, cycle, `&class_name=${enc(klass)}`, (a) => a.class_name.includes(klass), whole.items);
  const classTail = [...klass].slice(-2).join('');
  await sameAs(county, cycle, `&class_name=${enc(classTail)}`, (a) => a.class_name.includes(classTail), whole.items);

  // State, alone and with the others.
  const states = new Set(whole.items.map((a) => a.state));
  assert.ok(states.has('SUBMITTED') && states.has('WITHDRAWN'), [...states].join());
  for (const state of ['SUBMITTED', 'WITHDRAWN']) {
    await sameAs(county, cycle, `&state=${state}`, (a) => a.state === state, whole.items);
    await sameAs(county, cycle, `&state=${state}&q=${enc(surname)}&class_name=${enc(classTail)}`,
      (a) => a.state === state && a.student_name.includes(surname) && a.class_name.includes(classTail), whole.items);
  }
  // One school of the county, with a search.
  await sameAs(county, cycle, `&school_code=${o().school_other}&q=${enc(surname)}`,
    (a) => a.school_code === o().school_other && a.student_name.includes(surname), whole.items);

  // Paging: the total is the whole search's on every page, the pages
  // together hold it once, a page past the end is empty.
  const matching = whole.items.filter((a) => a.state === 'SUBMITTED');
  assert.ok(matching.length >= 3);
  const seen = [];
  for (let page = 1; page <= matching.length + 1; page++) {
    const r = await c[county].get(`/api/v1/cycles/${cycle}/applications?state=SUBMITTED&page=${page}&page_size=2`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.total, matching.length, `page ${page}`);
    assert.ok(r.data.items.length <= 2);
    seen.push(...r.data.items);
  }
  assert.deepEqual(ids(seen), ids(matching));
  assert.equal(new Set(seen.map((a) => a.id)).size, seen.length, 'no application on two pages');

  // Decision: last year's cycle was reviewed. The three answers split the
  // whole list, each row carries the decision it was found by, and at least
  // one was funded with a level.
  const past = o().cycle_past_own;
  const pastWhole = (await list(county, past)).data;
  assert.ok(pastWhole.total > 0);
  const byDecision = {};
  for (const decision of ['UNDECIDED', 'FUNDED', 'NOT_FUNDED']) {
    const r = await list(county, past, `&decision=${decision}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.total, r.data.items.length);
    assert.ok(r.data.items.every((a) => a.decision === decision), decision);
    byDecision[decision] = r.data.items;
  }
  assert.deepEqual(ids(Object.values(byDecision).flat()), ids(pastWhole.items));
  assert.ok(byDecision.FUNDED.length >= 1);
  assert.ok(byDecision.FUNDED.every((a) => Number.isInteger(a.decision_level)));
  assert.ok(byDecision.NOT_FUNDED.every((a) => a.decision_level === null));
  const funded = byDecision.FUNDED[0];
  await sameAs(county, past, `&decision=FUNDED&q=${enc(funded.student_name)}`,
    (a) => a.decision === 'FUNDED' && a.student_name.includes(funded.student_name), pastWhole.items);
  // This year's cycle is not reviewed yet: everything undecided.
  await sameAs(county, cycle, '&decision=UNDECIDED', () => true, whole.items);
  assert.equal((await list(county, cycle, '&decision=FUNDED')).data.total, 0);
});

test('a bad parameter is refused, naming it in Chinese', async () => {
  const cycle = o().cycle_own;
  for (const [query, field] of [
    ['state=MAYBE', 'state'],
    ['decision=YES', 'decision'],
    ['decision=funded', 'decision'],
    [`q=${enc('张'.repeat(31))}`, 'q'],
    [`q=${enc('a'.repeat(500))}`, 'q'],
    ['q=%01abc', 'q'],
    ['q=%FF%FE', 'q'],
    [`class_name=${enc('班'.repeat(31))}`, 'class_name'],
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['page_size=501', 'page_size'],
    // A bad parameter is named even beside an unknown school.
    ['school_code=0000000000&decision=MAYBE', 'decision'],
  ]) {
    const r = await c.county_officer.get(`/api/v1/cycles/${cycle}/applications?${query}`);
    assert.equal(r.status, 400, `${query}: ${r.text}`);
    assert.equal(r.data.error.code, 'BAD_VALUE', query);
    assert.equal(r.data.error.field, field, query);
    assert.ok(r.data.error.message.includes(field), `${query}: ${r.data.error.message}`);
    assert.match(r.data.error.message, /[\u4e00-\u9fff]/, query);
  }
  // Thirty characters are allowed.
  assert.equal((await c.county_officer.get(`/api/v1/cycles/${cycle}/applications?q=${enc('张'.repeat(30))}`)).status, 200);
});

test("a school officer never reaches another school's applications by searching", async () => {
  const cycle = o().cycle_own;
  const whole = (await list('county_officer', cycle)).data.items;
  const theirs = whole.filter((a) => a.school_code === o().school_other);
  assert.ok(theirs.length > 0, 'the other school has applications');
  const mineOnly = (r) => {
    assert.equal(r.status, 200, r.text);
    assert.ok(r.data.items.every((a) => a.school_code === o().school_own), r.text);
    assert.equal(r.data.total, r.data.items.length);
  };
  for (const a of theirs) {
    // Their name, whole or in part: only the own school's namesakes.
    const r = await list('school_officer', cycle, `&q=${enc(a.student_name)}`);
    mineOnly(r);
    assert.equal(r.data.total, whole.filter((x) => x.school_code === o().school_own && x.student_name.includes(a.student_name)).length);
    mineOnly(await list('school_officer', cycle, `&q=${enc([...a.student_name][0])}&class_name=${enc(a.class_name)}`));
    // Their whole 学籍号: nothing.
    const shown = await c.county_officer.post(`/api/v1/students/${a.student_id}/reveal`, { reason: '核对申请学生' });
    assert.equal(shown.status, 200, shown.text);
    const byNumber = await list('school_officer', cycle, `&q=${enc(shown.data.student_no)}`);
    mineOnly(byNumber);
    assert.equal(byNumber.data.total, 0);
  }
  // Naming the other school, with or without a search: nothing.
  for (const query of [`&school_code=${o().school_other}`, `&school_code=${o().school_other}&q=${enc([...theirs[0].student_name][0])}`,
    `&school_code=${o().school_other}&decision=UNDECIDED`, '&decision=UNDECIDED', '&state=SUBMITTED']) {
    const r = await list('school_officer', cycle, query);
    mineOnly(r);
    if (query.includes('school_other')) assert.equal(r.data.total, 0, query);
  }
  // Another county's officer does not see the cycle at all.
  assert.equal((await list('county_officer@other', cycle, `&q=${enc([...theirs[0].student_name][0])}`)).status, 404);
  // A guardian uses the portal, not the staff's search.
  assert.equal((await list('guardian', cycle, `&q=${enc(theirs[0].student_name)}`)).status, 403);
});
