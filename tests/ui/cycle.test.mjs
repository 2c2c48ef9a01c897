// The county's cycle pages in real Chromium (docs/web.md "Cycle setup,
// imports and identification"): the year walk's cycle steps
// (tests/ui/steps/cycle.mjs) — set up, list import, applications closed,
// identification — with the guardian's application of 2024-09-03 made
// through the API in between (as tests/api/year.test.mjs does; the portal's
// own step makes it in the browser in year.test.mjs); then the roster import
// by a school officer: the template, a file with a bad row, the counts and
// the row's error. Any console error, page error, failed request or 5xx
// fails the test; every page is saved as a screenshot under ZIZHU_UI_OUT.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startBrowserTest, unexcusedProblems } from './browser.mjs';
import { apiAs, closeApplications, identify, importList, open, setUp } from './steps/cycle.mjs';
import { newWorld, YEAR_SERVER_ARGS } from './steps/world.mjs';

let t;
let w;
before(async () => {
  t = await startBrowserTest({ serverArgs: YEAR_SERVER_ARGS });
  w = newWorld(t);
});
after(async () => { await t?.stop(); });

// The refusals provoked on purpose (w.provoked: a 4xx Chromium logs as a
// console error) are excused once each, and each must have happened.
function unexcused(problems) { return unexcusedProblems(problems, w.provoked); }

test('the county sets up the cycle, imports a list, closes the applications and identifies', async () => {
  await setUp(t, w);
  assert.ok(w.cycle > 0);
  await importList(t, w);
  assert.equal(w.listed.length, 2);

  // 2024-09-03: what portal.apply does in the browser, here through the API.
  await w.on('2024-09-03');
  const guardian = await apiAs(t, w, 'guardian');
  const mine = await guardian.post('/api/v1/me/applications', {
    cycle_id: w.cycle, student_id: w.objects.guardian_children[0], household_size: 4, household_income: '9000.00', serious_illness: true,
  });
  assert.equal(mine.status, 200, mine.text);
  w.application = mine.data.id;

  await closeApplications(t, w);
  await identify(t, w);
  assert.ok(w.run.id > 0 && w.run.results >= 3);

  // What the pages showed is what the server holds.
  const county = await apiAs(t, w, 'county_officer');
  const c = await county.get(`/api/v1/cycles/${w.cycle}`);
  assert.equal(c.data.state, 'REVIEW');
  assert.equal(c.data.policy_version, 2);
  const budgets = await county.get(`/api/v1/cycles/${w.cycle}/budgets`);
  assert.equal(budgets.data.total, '8000.00');
  const results = await county.get(`/api/v1/cycles/${w.cycle}/identification-results?run_id=${w.run.id}&page_size=500`);
  assert.equal(results.data.total, w.run.results);
  for (const id of w.listed) {
    const r = results.data.items.find((x) => x.student_id === id);
    assert.deepEqual([r.status, r.categories], ['FUNDED', ['DIBAO']]);
  }
  assert.deepEqual(unexcused(t.problems), []);
});

test('the school officer imports the roster: template, a bad row, the counts', async () => {
  const o = w.objects;
  const { ctx, page } = await open(t, w, '/cycle/roster', 'roster-import', 'school_officer');
  await page.getByTestId('template-columns-roster').locator('tbody tr').first().waitFor();
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-xlsx-roster').click()]);
  assert.equal(xlsx.suggestedFilename(), '学籍名册导入模板.xlsx');
  assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-csv-roster').click()]);
  const header = readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '');
  assert.match(header, /^学籍号,姓名,身份证号,性别,出生日期,学校标识码,年级,班级,是否寄宿,监护人姓名,监护人身份证号,银行卡号\r\n$/);
  await t.snap(page, 'roster-import');

  // One new pupil (a temporary 学籍号) and one row with grade 12.
  const cols = header.trim().split(',');
  const row = (v) => cols.map((c) => v[c] ?? '').join(',');
  const body = header
    + row({ 学籍号: 'L202409000000000001', 姓名: '界面测试', 性别: '女', 学校标识码: o.school_own, 年级: '1', 班级: '1班', 是否寄宿: '否' }) + '\r\n'
    + row({ 学籍号: 'L202409000000000002', 姓名: '年级有误', 学校标识码: o.school_own, 年级: '12' }) + '\r\n';
  await page.getByTestId('upload-roster').locator('input[type=file]').setInputFiles({ name: '一年级新生.csv', mimeType: 'text/csv', buffer: Buffer.from(body) });
  await page.getByTestId('upload-submit-roster').click();
  await page.getByTestId('import-result-roster').waitFor();
  const count = async (k) => (await page.getByTestId('import-result-roster').getByTestId(`count-${k}`).innerText()).trim();
  assert.deepEqual([await count('rows_read'), await count('inserted'), await count('rejected')], ['2', '1', '1']);
  const rejects = await page.getByTestId('rejects-roster').locator('tbody tr.el-table__row')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  assert.equal(rejects.length, 1);
  assert.deepEqual(rejects[0].slice(0, 4), ['一年级新生.csv', '3', '年级', '12']);
  assert.match(rejects[0][4], /年级须为 1–9（BAD_GRADE）/);
  await page.getByTestId('rejects-roster').scrollIntoViewIfNeeded();
  await t.snap(page, 'roster-import-rejects');

  // A file that is not a table at all: refused whole, nothing saved.
  (w.provoked ??= []).push({ page: /\/cycle\/roster$/, status: 422 });
  await page.getByTestId('upload-roster').locator('input[type=file]').setInputFiles({ name: '照片.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) });
  await page.getByTestId('upload-submit-roster').click();
  await page.getByTestId('upload-error-roster').waitFor();
  assert.match(await page.getByTestId('upload-error-roster').innerText(), /照片\.png：/);
  assert.equal(await page.getByTestId('import-result-roster').count(), 0);
  await page.getByTestId('upload-error-roster').scrollIntoViewIfNeeded();
  await t.snap(page, 'roster-import-refused');
  await ctx.close();
  assert.deepEqual(unexcused(t.problems), []);
});
