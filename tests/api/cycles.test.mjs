// The aid cycle's first steps through the API against a real server: a
// county sets up a cycle (policy in versions, dates, budgets) and opens it;
// the departments' lists come in with a rejects report; guardians and school
// officers apply, edit and withdraw; every refusal is checked too — wrong
// role, another school or county, wrong state, deadline passed, bad input —
// and the audit log holds each change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['county_officer', 'school_officer', 'reviewer', 'reviewer2', 'reviewer3', 'guardian', 'auditor',
    'county_officer@other', 'finance']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

const o = () => server.creds.objects;

function withCheck(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i];
  return first17 + '10X98765432'[sum % 11];
}

test('a new cycle: DRAFT hidden from schools, policy versions, opening needs dates and budgets', async () => {
  const county = c.county_officer;
  const created = await county.post('/api/v1/cycles', { school_year: '2027-2028' });
  assert.equal(created.status, 200, created.text);
  const id = created.data.id;
  assert.equal(created.data.state, 'DRAFT');
  assert.equal(created.data.policy_version, 1);
  // One per county and year; a bad year is refused naming the field.
  const again = await county.post('/api/v1/cycles', { school_year: '2027-2028' });
  assert.equal(again.status, 409);
  assert.equal(again.data.error.field, 'school_year');
  assert.equal((await county.post('/api/v1/cycles', { school_year: '2027-2029' })).data.error.field, 'school_year');
  // Only a county creates cycles.
  assert.equal((await c.school_officer.post('/api/v1/cycles', { school_year: '2028-2029' })).status, 403);

  // A draft is the county's: schools do not see it.
  assert.equal((await c.school_officer.get(`/api/v1/cycles/${id}`)).status, 404);
  assert.ok(!(await c.school_officer.get('/api/v1/cycles')).data.items.some((x) => x.id === id));
  assert.ok((await county.get('/api/v1/cycles')).data.items.some((x) => x.id === id));
  assert.equal((await c['county_officer@other'].get(`/api/v1/cycles/${id}`)).status, 404);

  // The default policy carries the cycle's year and reference date.
  const policy = await county.get(`/api/v1/cycles/${id}/policy`);
  assert.equal(policy.status, 200);
  assert.match(policy.data.toml, /school_year = "2027-2028"/);
  assert.match(policy.data.toml, /reference_date = 2027-09-01/);
  assert.equal(policy.data.sm3.length, 64);
  // Bad policies are refused with the reason; a policy of another year too.
  const broken = await county.put(`/api/v1/cycles/${id}/policy`, { toml: 'school_year = ' });
  assert.equal(broken.status, 422);
  const otherYear = await county.put(`/api/v1/cycles/${id}/policy`,
    { toml: policy.data.toml.replace('school_year = "2027-2028"', 'school_year = "2026-2027"') });
  assert.equal(otherYear.status, 422);
  assert.equal(otherYear.data.error.field, 'school_year');
  const v2 = await county.put(`/api/v1/cycles/${id}/policy`,
    { toml: policy.data.toml.replace('min_score = 70', 'min_score = 75') });
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v2.data.version, 2);
  assert.equal(v2.data.versions.length, 2);
  assert.notEqual(v2.data.versions[0].sm3, v2.data.versions[1].sm3);

  // Opening needs dates and budgets first.
  let open = await county.post(`/api/v1/cycles/${id}/open`, {});
  assert.equal(open.status, 422);
  assert.match(open.data.error.message, /日期/);
  const badDates = await county.put(`/api/v1/cycles/${id}/dates`,
    { applications_open_on: '2027-09-30', applications_close_on: '2027-09-01' });
  assert.equal(badDates.status, 400);
  assert.equal(badDates.data.error.field, 'applications_close_on');
  assert.equal((await county.put(`/api/v1/cycles/${id}/dates`,
    { applications_open_on: '2027-09-01', applications_close_on: '2027-09-30' })).status, 200);
  open = await county.post(`/api/v1/cycles/${id}/open`, {});
  assert.equal(open.status, 422);
  assert.match(open.data.error.message, /预算/);
  // Budgets: money as yuan strings; a school of another county is refused.
  const foreign = await county.put(`/api/v1/cycles/${id}/budgets`,
    { budgets: [{ school_code: o().school_other_county, budget: '1000.00' }] });
  assert.equal(foreign.status, 400);
  const float = await county.put(`/api/v1/cycles/${id}/budgets`,
    { budgets: [{ school_code: o().school_own, budget: 1000.5 }] });
  assert.equal(float.status, 400);
  const budgets = await county.put(`/api/v1/cycles/${id}/budgets`, {
    budgets: [{ school_code: o().school_own, budget: '150000.00' }, { school_code: o().school_other, budget: '9,000.5' }],
  });
  assert.equal(budgets.status, 200, budgets.text);
  assert.equal(budgets.data.total, '159000.50');
  open = await county.post(`/api/v1/cycles/${id}/open`, {});
  assert.equal(open.status, 200, open.text);
  assert.equal(open.data.state, 'OPEN');
  // Open: schools see it, and only their own school's budget.
  assert.equal((await c.school_officer.get(`/api/v1/cycles/${id}`)).status, 200);
  const seen = await c.school_officer.get(`/api/v1/cycles/${id}/budgets`);
  assert.deepEqual(seen.data.items.map((b) => b.school_code), [o().school_own]);
  // The policy cannot change once open; opening twice is a state conflict.
  assert.equal((await county.put(`/api/v1/cycles/${id}/policy`, { toml: policy.data.toml })).status, 409);
  assert.equal((await county.post(`/api/v1/cycles/${id}/open`, {})).status, 409);
  // Closing moves it to REVIEW; after that nothing of the DRAFT/OPEN steps.
  assert.equal((await c.school_officer.post(`/api/v1/cycles/${id}/close-applications`, {})).status, 403);
  const closed = await county.post(`/api/v1/cycles/${id}/close-applications`, {});
  assert.equal(closed.data.state, 'REVIEW');
  assert.equal((await county.put(`/api/v1/cycles/${id}/dates`,
    { applications_open_on: '2027-09-01', applications_close_on: '2027-09-30' })).status, 409);
  assert.equal((await county.post(`/api/v1/cycles/${id}/close-applications`, {})).status, 409);

  const audit = await c.auditor.get(`/api/v1/audit?object_type=cycle&object_id=${id}&page_size=50`);
  const actions = audit.data.items.map((r) => r.action).sort();
  for (const a of ['cycle.create', 'cycle.policy', 'cycle.dates', 'cycle.budgets', 'cycle.open',
    'cycle.close_applications']) {
    assert.ok(actions.includes(a), `${a} in ${actions}`);
  }
});

test('department lists: rows checked as identify.md says, the rejects reported, the same file once', async () => {
  const county = c.county_officer;
  const cycle = o().cycle_own;
  const good = withCheck('62010220150301001');
  const csv = [
    '身份证号,姓名,类别,有效期起,有效期止,来源部门',
    `${good},甲,DIBAO,2026-01-01,2027-12-31,`,
    `${withCheck('62010220140301002')},乙,孤儿,,,`,
    '620102201501011234,丙,DIBAO,,,',
    `${withCheck('62010220130301003')},丁,NOT_A_KIND,,,`,
    `${withCheck('62010220120301004')},戊,DISABLED,2026-13-01,,`,
    `,己,DIBAO,,,`,
  ].join('\n') + '\n';
  const upload = (client, id, body, source = '民政局') => client.request('POST',
    `/api/v1/cycles/${id}/lists?source=${encodeURIComponent(source)}`, { body, headers: { 'content-type': 'text/csv' } });
  const r = await upload(county, cycle, csv);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.accepted, 2);
  assert.equal(r.data.rejected, 4);
  assert.deepEqual(r.data.rejects.map((x) => [x.row, x.column, x.reason]), [
    [4, '身份证号', 'BAD_ID'], [5, '类别', 'UNKNOWN_CATEGORY'], [6, '有效期起', 'BAD_DATE'], [7, '身份证号', 'MISSING_VALUE'],
  ]);
  assert.equal((await upload(county, cycle, csv)).status, 409);
  assert.equal((await upload(county, cycle, csv, '')).status, 400);
  assert.equal((await upload(county, cycle, '%PDF-1.4 not a table')).status, 422);
  assert.equal((await upload(county, cycle, 'a,b\n1,2\n')).status, 422);  // no 身份证号 column
  assert.equal((await upload(c.school_officer, cycle, csv)).status, 403);
  assert.equal((await upload(c['county_officer@other'], cycle, csv)).status, 404);
  const imports = await county.get(`/api/v1/cycles/${cycle}/lists`);
  assert.ok(imports.data.items.some((x) => x.id === r.data.id && x.source === '民政局'));
  assert.ok(!r.text.includes(good), 'the answer does not echo accepted IDs');
});

test('applications: guardian and school officer, edit and withdraw, scope and role refusals', async () => {
  const cycle = o().cycle_own;
  const g = c.guardian;
  const family = { household_size: 4, household_income: '21000.00', claimed_categories: ['城乡低保家庭'], single_parent: true };

  const cycles = await g.get('/api/v1/me/cycles');
  assert.equal(cycles.status, 200);
  const mine = cycles.data.items.find((x) => x.cycle_id === cycle);
  assert.ok(mine && mine.student_ids.includes(o().guardian_children[0]));
  const apps = await g.get('/api/v1/me/applications');
  const own = apps.data.items.find((a) => a.id === o().application_own);
  assert.ok(own);
  assert.equal(own.channel, 'guardian');
  assert.match(own.student_no, /\*/);  // masked

  // Edit: categories by name or code, stored as codes; bad values name their field.
  const edited = await g.put(`/api/v1/me/applications/${own.id}`, family);
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual(edited.data.claimed_categories, ['DIBAO']);
  assert.equal(edited.data.household_income, '21000.00');
  for (const [bad, field] of [[{ ...family, household_size: 0 }, 'household_size'],
    [{ ...family, household_income: '-5' }, 'household_income'],
    [{ ...family, household_income: 21000 }, 'household_income'],
    [{ ...family, claimed_categories: ['富裕'] }, 'claimed_categories'],
    [{ ...family, siblings_in_school: 0 }, 'siblings_in_school']]) {
    const r = await g.put(`/api/v1/me/applications/${own.id}`, bad);
    assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
    assert.equal(r.data.error.field, field);
  }
  // Withdraw, not twice; submit again (the same application comes back).
  assert.equal((await g.post(`/api/v1/me/applications/${own.id}/withdraw`, {})).data.state, 'WITHDRAWN');
  assert.equal((await g.post(`/api/v1/me/applications/${own.id}/withdraw`, {})).status, 409);
  assert.equal((await g.put(`/api/v1/me/applications/${own.id}`, family)).status, 409);
  const back = await g.post('/api/v1/me/applications', { cycle_id: cycle, student_id: own.student_id, ...family });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.data.id, own.id);
  assert.equal(back.data.state, 'SUBMITTED');
  // Another family's child, another school's application: not found.
  assert.equal((await g.post('/api/v1/me/applications',
    { cycle_id: cycle, student_id: o().student_other_school, ...family })).status, 404);
  assert.equal((await g.get(`/api/v1/me/applications/${o().application_other_school}`)).status, 404);
  // A guardian uses the portal routes, not the staff ones.
  assert.equal((await g.get(`/api/v1/cycles/${cycle}/applications`)).status, 403);

  // The school officer enters one for a family; twice is a conflict.
  const so = c.school_officer;
  const list = await so.get(`/api/v1/students?school_code=${o().school_own}&page_size=60`);
  const taken = new Set((await so.get(`/api/v1/cycles/${cycle}/applications?page_size=500`)).data.items.map((a) => a.student_id));
  const free = list.data.items.find((s) => !taken.has(s.id));
  assert.ok(free, 'a student without an application');
  const entered = await so.post(`/api/v1/cycles/${cycle}/applications`, { student_id: free.id, household_size: 3, household_income: '8000' });
  assert.equal(entered.status, 200, entered.text);
  assert.equal(entered.data.channel, 'school');
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/applications`, { student_id: free.id, household_size: 3, household_income: '8000' })).status, 409);
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/applications`,
    { student_id: o().student_other_school, household_size: 3, household_income: '8000' })).status, 404);
  assert.equal((await so.post(`/api/v1/cycles/${o().cycle_other_county}/applications`,
    { student_id: free.id, household_size: 3, household_income: '8000' })).status, 404);
  // Scope of the lists: the school sees its own; the county all of its schools.
  const schoolList = await so.get(`/api/v1/cycles/${cycle}/applications?page_size=500`);
  assert.ok(schoolList.data.items.every((a) => a.school_code === o().school_own));
  const countyList = await c.county_officer.get(`/api/v1/cycles/${cycle}/applications?page_size=500`);
  assert.ok(countyList.data.total > schoolList.data.total);
  assert.ok(countyList.data.items.some((a) => a.school_code === o().school_other));
  const byState = await c.county_officer.get(`/api/v1/cycles/${cycle}/applications?state=WITHDRAWN`);
  assert.equal(byState.status, 200);
  assert.equal((await c.county_officer.get(`/api/v1/cycles/${cycle}/applications?state=MAYBE`)).status, 400);
  // Reviewers read, do not write; the county reads, does not write; finance neither.
  assert.equal((await c.reviewer.get(`/api/v1/applications/${entered.data.id}`)).status, 200);
  assert.equal((await c.reviewer.put(`/api/v1/applications/${entered.data.id}`, family)).status, 403);
  assert.equal((await c.county_officer.post(`/api/v1/applications/${entered.data.id}/withdraw`, {})).status, 403);
  assert.equal((await c.finance.get(`/api/v1/applications/${entered.data.id}`)).status, 403);

  const audit = await c.auditor.get(`/api/v1/audit?object_type=application&object_id=${own.id}&page_size=50`);
  const actions = audit.data.items.map((r) => r.action);
  for (const a of ['application.submit', 'application.edit', 'application.withdraw']) assert.ok(actions.includes(a), a);
});

test('evidence: PDF/JPEG/PNG by content, kept encrypted, read by those allowed, each read audited', async () => {
  const g = c.guardian;
  const app = o().application_own;
  const pdf = (text) => {
    // A small valid PDF, like the demo's (offsets computed as written).
    const stream = `BT /F1 12 Tf 72 760 Td (${text}) Tj ET\n`;
    const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
      `<< /Length ${stream.length} >>\nstream\n${stream}endstream`];
    let out = '%PDF-1.4\n';
    const offsets = [];
    objs.forEach((body, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${body}\nendobj\n`; });
    const xref = out.length;
    out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
    for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
    return out + `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  };
  const upload = (client, path, body, note = '户口本') => client.request('POST', `${path}?note=${encodeURIComponent(note)}`,
    { body, headers: { 'content-type': 'application/octet-stream' } });
  const marker = 'UNIQUE-MARKER-7F3A';
  const r = await upload(g, `/api/v1/me/applications/${app}/evidence`, pdf(marker));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.kind, 'pdf');
  // By content, not by name or type: a text file called a PDF is refused.
  assert.equal((await upload(g, `/api/v1/me/applications/${app}/evidence`, 'just text, not a pdf')).status, 422);
  assert.equal((await upload(g, `/api/v1/me/applications/${app}/evidence`, pdf('x'), '')).status, 400);
  // Another family's application, another school's: not found.
  assert.equal((await upload(g, `/api/v1/me/applications/${o().application_other_school}/evidence`, pdf('x'))).status, 404);
  assert.equal((await upload(c.school_officer, `/api/v1/applications/${o().application_other_school}/evidence`, pdf('x'))).status, 404);
  assert.equal((await upload(c.reviewer, `/api/v1/applications/${app}/evidence`, pdf('x'))).status, 403);
  // Too large: refused before it is read.
  const big = await upload(g, `/api/v1/me/applications/${app}/evidence`, pdf('x') + ' '.repeat(11 * 1024 * 1024));
  assert.equal(big.status, 413);

  // Listed and read back by the family and the school; each read audited.
  const list = await g.get(`/api/v1/me/applications/${app}/evidence`);
  assert.ok(list.data.items.some((e) => e.id === r.data.id));
  const back = await c.school_officer.get(`/api/v1/evidence/${r.data.id}`);
  assert.equal(back.status, 200);
  assert.equal(back.headers.get('content-type'), 'application/pdf');
  assert.match(back.headers.get('content-disposition'), /attachment/);
  assert.ok(back.text.includes(marker));
  assert.equal((await c['county_officer@other'].get(`/api/v1/evidence/${r.data.id}`)).status, 404);
  const views = await c.auditor.get(`/api/v1/audit?action=application.evidence_view&object_id=${app}`);
  assert.ok(views.data.total >= 1);
  // Not stored in plain anywhere under the server's folder.
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const walk = (dir) => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
  for (const f of walk(server.dir)) assert.ok(!readFileSync(f).includes(marker), f);

  // Removed while the application may change; the record stays.
  const removed = await g.post(`/api/v1/me/evidence/${r.data.id}/remove`, {});
  assert.equal(removed.status, 200, removed.text);
  assert.equal(removed.data.removed, true);
  assert.equal((await g.post(`/api/v1/me/evidence/${r.data.id}/remove`, {})).status, 409);
  assert.equal((await g.get(`/api/v1/me/evidence/${r.data.id}`)).status, 404);
  assert.ok((await g.get(`/api/v1/me/applications/${app}/evidence`)).data.items.find((e) => e.id === r.data.id).removed);
});

test('after the deadline and after closing, applications are refused', async () => {
  const county = c.county_officer;
  const cycle = o().cycle_own;
  const before = await county.get(`/api/v1/cycles/${cycle}`);
  const family = { household_size: 2, household_income: '5000.00' };
  // The deadline passed (dates moved into the past while still OPEN).
  assert.equal((await county.put(`/api/v1/cycles/${cycle}/dates`,
    { applications_open_on: '2026-01-05', applications_close_on: '2026-02-05' })).status, 200);
  const late = await c.guardian.put(`/api/v1/me/applications/${o().application_own}`, family);
  assert.equal(late.status, 422);
  assert.match(late.data.error.message, /截止/);
  assert.equal((await c.guardian.post(`/api/v1/me/applications/${o().application_own}/withdraw`, {})).status, 422);
  // Not begun yet.
  assert.equal((await county.put(`/api/v1/cycles/${cycle}/dates`,
    { applications_open_on: '2099-01-05', applications_close_on: '2099-02-05' })).status, 200);
  assert.match((await c.guardian.put(`/api/v1/me/applications/${o().application_own}`, family)).data.error.message, /尚未开始/);
  assert.equal((await county.put(`/api/v1/cycles/${cycle}/dates`, {
    applications_open_on: before.data.applications_open_on, applications_close_on: before.data.applications_close_on,
  })).status, 200);
  assert.equal((await c.guardian.put(`/api/v1/me/applications/${o().application_own}`, family)).status, 200);
  // Closed: the cycle is in REVIEW, nothing more is accepted.
  assert.equal((await county.post(`/api/v1/cycles/${cycle}/close-applications`, {})).data.state, 'REVIEW');
  const closed = await c.guardian.put(`/api/v1/me/applications/${o().application_own}`, family);
  assert.equal(closed.status, 409);
  assert.equal(closed.data.error.code, 'STATE_CONFLICT');
  assert.ok(!(await c.guardian.get('/api/v1/me/cycles')).data.items.some((x) => x.cycle_id === cycle));
});

test('identification in REVIEW: county and school runs, results in scope with masked explanations', async () => {
  const cycle = o().cycle_own;
  const county = c.county_officer;
  const so = c.school_officer;
  // The previous test closed applications: the cycle is in REVIEW.
  assert.equal((await county.get(`/api/v1/cycles/${cycle}`)).data.state, 'REVIEW');
  // Before any run: an empty answer, not an error.
  const none = await so.get(`/api/v1/cycles/${cycle}/identification-results`);
  assert.equal(none.status, 200);
  assert.equal(none.data.run, null);
  assert.equal(none.data.total, 0);

  assert.equal((await c.reviewer.post(`/api/v1/cycles/${cycle}/identification-runs`, {})).status, 403);
  assert.equal((await c['county_officer@other'].post(`/api/v1/cycles/${cycle}/identification-runs`, {})).status, 404);
  assert.equal((await so.post(`/api/v1/cycles/${cycle}/identification-runs`, { school_code: o().school_other })).status, 404);
  const own = await so.post(`/api/v1/cycles/${cycle}/identification-runs`, {});
  assert.equal(own.status, 200, own.text);
  assert.equal(own.data.school_code, o().school_own);
  assert.equal(own.data.results_sm3.length, 64);
  const whole = await county.post(`/api/v1/cycles/${cycle}/identification-runs`, {});
  assert.equal(whole.status, 200, whole.text);
  assert.equal(whole.data.school_code, null);
  assert.ok(whole.data.students > own.data.students);

  // The newest run the school may see is the county's; it sees its own rows.
  const seen = await so.get(`/api/v1/cycles/${cycle}/identification-results?page_size=500`);
  assert.equal(seen.data.run.id, whole.data.id);
  assert.ok(seen.data.total > 0);
  assert.ok(seen.data.items.every((r) => r.school_code === o().school_own));
  const all = await county.get(`/api/v1/cycles/${cycle}/identification-results?page_size=500`);
  assert.equal(all.data.total, whole.data.results);
  assert.ok(all.data.items.some((r) => r.school_code === o().school_other));
  // The guardian's child applied: it has a row, with an explanation that
  // names no 学籍号 and no ID number in plain.
  const child = all.data.items.find((r) => r.student_id === o().guardian_children[0]);
  assert.ok(child, 'the applicant has a result');
  assert.match(child.explanation, /一、认定类别/);
  for (const r of all.data.items) {
    assert.doesNotMatch(r.explanation, /[GJL]\d{17}[\dX]/, `row ${r.row_no}`);
    assert.doesNotMatch(r.explanation, /\d{17}[\dX]/, `row ${r.row_no}`);
    assert.match(r.student_no, /\*/);
  }
  // An earlier run by its id; an unknown one is not found.
  const earlier = await so.get(`/api/v1/cycles/${cycle}/identification-results?run_id=${own.data.id}`);
  assert.equal(earlier.data.run.id, own.data.id);
  assert.equal((await so.get(`/api/v1/cycles/${cycle}/identification-results?run_id=999999`)).status, 404);
  const runs = await c.reviewer.get(`/api/v1/cycles/${cycle}/identification-runs`);
  assert.deepEqual(runs.data.items.map((r) => r.id), [whole.data.id, own.data.id]);
  const audit = await c.auditor.get(`/api/v1/audit?action=identification.run&page_size=10`);
  assert.ok(audit.data.total >= 2);
});

test('the review: panel of three, votes, decisions by majority with reasons, flags resolved first, budget kept', async () => {
  const cycle = o().cycle_own;
  const so = c.school_officer;
  const panelists = [c.reviewer, c.reviewer2, c.reviewer3];
  // A panel needs three of the school's reviewers.
  const two = await so.put(`/api/v1/cycles/${cycle}/panel`, { usernames: ['reviewer', 'reviewer2'] });
  assert.equal(two.status, 422);
  assert.equal(two.data.error.field, 'usernames');
  assert.equal((await so.put(`/api/v1/cycles/${cycle}/panel`, { usernames: ['reviewer', 'reviewer2', 'school'] })).status, 400);
  assert.equal((await c.reviewer.put(`/api/v1/cycles/${cycle}/panel`, { usernames: ['reviewer', 'reviewer2', 'reviewer3'] })).status, 403);
  const panel = await so.put(`/api/v1/cycles/${cycle}/panel`, { usernames: ['reviewer', 'reviewer2', 'reviewer3'] });
  assert.equal(panel.status, 200, panel.text);
  assert.equal(panel.data.members.length, 3);

  const board = await c.reviewer.get(`/api/v1/cycles/${cycle}/review`);
  assert.equal(board.status, 200, board.text);
  assert.ok(board.data.items.length > 0);
  assert.ok(board.data.items.every((x) => /\*/.test(x.student_no)));
  const vote = (client, student, level) => client.post(`/api/v1/cycles/${cycle}/review/votes`, { student_id: student, level });
  const decide = (student, level, reason) => so.post(`/api/v1/cycles/${cycle}/review/decisions`,
    { student_id: student, level, ...(reason === undefined ? {} : { reason }) });

  // A candidate the engine funds, with no blocking flag: the panel agrees.
  const agreed = board.data.items.find((x) => x.suggested_level !== null && x.unresolved_blocking_flags.length === 0);
  assert.ok(agreed, 'a funded candidate');
  assert.equal((await vote(so, agreed.student_id, agreed.suggested_level)).status, 403);  // not a reviewer
  assert.equal((await vote(c.reviewer, agreed.student_id, 99)).status, 400);               // no such level
  assert.equal((await vote(c.reviewer, agreed.student_id, agreed.suggested_level)).status, 200);
  const short = await decide(agreed.student_id, agreed.suggested_level);
  assert.equal(short.status, 422);
  assert.match(short.data.error.message, /投票人数不足/);
  // A vote can change until the decision.
  assert.equal((await vote(c.reviewer2, agreed.student_id, null)).status, 200);
  assert.equal((await vote(c.reviewer2, agreed.student_id, agreed.suggested_level)).status, 200);
  const third = await vote(c.reviewer3, agreed.student_id, agreed.suggested_level);
  assert.equal(third.data.votes_cast, 3);
  assert.equal(third.data.votes[String(agreed.suggested_level)], 3);
  // Not the majority: refused. The majority, as suggested: no reason needed.
  assert.equal((await decide(agreed.student_id, null, '不同意')).status, 422);
  const done = await decide(agreed.student_id, agreed.suggested_level);
  assert.equal(done.status, 200, done.text);
  assert.equal(done.data.decided, true);
  assert.match(done.data.decision.amount, /^\d+\.\d\d$/);
  assert.equal((await decide(agreed.student_id, agreed.suggested_level)).status, 409);
  assert.equal((await vote(c.reviewer, agreed.student_id, null)).status, 409);

  // The panel departs from the suggestion: the decision needs a reason; a
  // tie needs one too, and must be one of the tied.
  const rest = board.data.items.filter((x) => x.student_id !== agreed.student_id && x.unresolved_blocking_flags.length === 0);
  assert.ok(rest.length >= 2, 'two more candidates');
  const [departs, tied] = rest;
  for (const p of panelists) await vote(p, departs.student_id, departs.suggested_level === null ? 3 : null);
  const target = departs.suggested_level === null ? 3 : null;
  const noReason = await decide(departs.student_id, target);
  assert.equal(noReason.status, 400);
  assert.equal(noReason.data.error.field, 'reason');
  assert.equal((await decide(departs.student_id, target, '家访核实 2 次')).status, 200);
  await vote(c.reviewer, tied.student_id, 1);
  await vote(c.reviewer2, tied.student_id, 2);
  await vote(c.reviewer3, tied.student_id, null);
  assert.equal((await decide(tied.student_id, 3, '平票')).status, 422);  // 3 had no vote
  const tieNoReason = await decide(tied.student_id, null);
  assert.equal(tieNoReason.status, 400);
  assert.equal(tieNoReason.data.error.field, 'reason');
  // Reasons keep no ID-like digits.
  assert.equal((await decide(tied.student_id, null, '见 620102201501011234')).status, 400);

  // Blocking flags: not funded until resolved, with the resolution recorded.
  const blocked = board.data.items.find((x) => x.unresolved_blocking_flags.length > 0);
  if (blocked) {
    for (const p of panelists) await vote(p, blocked.student_id, 3);
    const refused = await decide(blocked.student_id, 3, '复核');
    assert.equal(refused.status, 422);
    assert.match(refused.data.error.message, /阻断性标记/);
    assert.equal((await so.post(`/api/v1/cycles/${cycle}/review/resolutions`,
      { student_id: blocked.student_id, flag: 'NOT_A_FLAG_OF_HIS', resolution: '已核实' })).status, 400);
    let last;
    for (const flag of blocked.unresolved_blocking_flags) {
      last = await so.post(`/api/v1/cycles/${cycle}/review/resolutions`,
        { student_id: blocked.student_id, flag, resolution: '已到学籍系统核实，信息已更正' });
      assert.equal(last.status, 200, last.text);
    }
    assert.deepEqual(last.data.unresolved_blocking_flags, []);
    const after = await decide(blocked.student_id, 3, '核实后资助');
    assert.ok([200, 422].includes(after.status), after.text);  // 422 only for the budget
    if (after.status === 422) assert.match(after.data.error.message, /预算/);
  }

  // (The budget limit and a certain blocking flag are checked in
  // src/app/review_test.cc, where the data can be set up for them.)
  const decided = (await so.get(`/api/v1/cycles/${cycle}/review`)).data.items.filter((x) => x.decided);
  assert.ok(decided.length >= 2);
  const audit = await c.auditor.get('/api/v1/audit?action=review.decide&page_size=50');
  assert.ok(audit.data.total >= 2);
  assert.ok(audit.data.items.some((r) => r.summary.includes('家访核实')));
});

test('zizhu cycle export + zizhu identify reproduce the server run byte for byte (SM3 of results.csv)', async () => {
  const { execFileSync } = await import('node:child_process');
  const { readFileSync, statSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const { join } = await import('node:path');
  const { ZIZHU } = await import('./harness.mjs');
  const cycle = o().cycle_own;
  const runs = await c.county_officer.get(`/api/v1/cycles/${cycle}/identification-runs`);
  const county = runs.data.items.find((r) => r.school_code === null);
  assert.ok(county, 'a county run (earlier test)');
  const files = join(server.dir, 'export');
  execFileSync(ZIZHU, ['cycle', 'export', '--db', server.db, '--key-file', server.keyFile, '--cycle', String(cycle),
    '--out', files]);
  assert.equal(statSync(files).mode & 0o777, 0o700);
  assert.equal(statSync(join(files, 'students.csv')).mode & 0o777, 0o600);
  const out = join(server.dir, 'identify-out');
  execFileSync(ZIZHU, ['identify', '--policy', join(files, 'policy.toml'), '--students', join(files, 'students.csv'),
    '--lists', join(files, 'lists.csv'), '--applications', join(files, 'applications.csv'),
    '--budgets', join(files, 'budgets.csv'), '--out', out, '--threads', '2']);
  const sm3 = (f) => createHash('sm3').update(readFileSync(join(out, f))).digest('hex');
  assert.equal(sm3('results.csv'), county.results_sm3);
  assert.equal(sm3('schools.csv'), county.schools_sm3);
  // Recorded in the chain (by system:cli, which no county auditor's scope
  // lists: read from the file).
  const count = execFileSync('sqlite3', [server.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'cycle.export'"]);
  assert.equal(String(count).trim(), '1');
});
