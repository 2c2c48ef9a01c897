// The year walk's county steps (tests/ui/steps/world.mjs): the cycle set up,
// a department's list imported, the applications closed, the identification
// run. Each logs the county officer in, in a fresh desktop context, drives
// the browser only (the one API call is moving the clock, w.on, and in
// importList the test data preparation described there), and closes its
// context at the end.
//
// Reads:  w.objects (the demo's objects), w.cycle (after setUp),
//         w.listedNames (after importList), w.application (optional: the
//         guardian's application from portal.apply; its child's row is then
//         looked up in the results).
// Adds:   w.cycle        the new cycle's id (setUp)
//         w.listed       the two students of objects.school_own on the 民政局's
//                        低保 list (importList)
//         w.listedNames  their names, as the results table shows them
//         w.listImport   { id, accepted, rejected } of the good list (importList)
//         w.run          { id, results } of the identification run (identify)
//         w.provoked     [{ page: RegExp, status }] refusals (4xx) setUp provokes
//                        on purpose (opening without budgets, a policy the
//                        server refuses), which Chromium logs as console
//                        errors: the test excuses each once, and each must
//                        have happened (the convention of steps/admin.mjs)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client, user } from '../../api/harness.mjs';
import { confirmBox, on, openAs, rowsOf, serverTotp, settled } from './session.mjs';

// A page of `key` (the county officer unless said) at `path`, logged in
// through the form the router sends it to; `landing` is the data-test of
// the page (session.mjs).
export async function open(t, w, path, landing, key = 'county_officer') {
  return openAs(t, w, key, path, landing);
}

// An API client of `key` logged in on the server's clock (for test data
// preparation and checks, never for a step's own work).
export async function apiAs(t, w, key) {
  const c = new Client(t.server.base);
  const u = user(t.server, key);
  const r = await c.post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.equal(r.status, 200, r.text);
  c.csrf = r.data.csrf_token;
  if (r.data.stage === 'totp') {
    const v = await c.post('/api/v1/auth/totp/verify', { code: await serverTotp(w, u) });
    assert.equal(v.status, 200, v.text);
  }
  return c;
}

// An el-input's attributes land on the native input; other components keep
// them on their root.
const field = (page, id) => page.locator(`input[data-test="${id}"], [data-test="${id}"] input`).first();
async function pickOption(page, selectId, text) {
  await page.getByTestId(selectId).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

// Types a name into the results' search and waits for the server's answer:
// every row shown is then that name's (the table keeps the previous answer
// until the new one comes).
async function searchName(page, name) {
  await field(page, 'filter-text').fill(name);
  await page.waitForFunction((n) => {
    const cells = [...document.querySelectorAll('[data-test="result-table"] tbody tr.el-table__row td:nth-child(2)')];
    return cells.length > 0 && cells.every((td) => td.innerText.includes(n));
  }, name);
}

function provoke(w, page, status) { (w.provoked ??= []).push({ page, status }); }

async function tab(page, name) {
  await page.getByTestId('setup-tabs').getByRole('tab', { name }).click();
}

// The form-item error under a control (Element Plus puts it in the item).
const errorUnder = (locator) => locator
  .locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " el-form-item ")][1]')
  .locator('.el-form-item__error');

// 2024-08-26: a new cycle for 2024-2025; the dates; the policy read into the
// form, refused once by the server (income brackets out of order: the
// message under that field) and saved as version 2; opening refused without
// budgets (the server's message shown); the budgets (own school 3000.00,
// other 5000.00); opened.
export async function setUp(t, w) {
  await on(w, '2024-08-26');
  const o = w.objects;
  const { ctx, page } = await open(t, w, '/cycle/cycles', 'cycles');
  await settled(page);
  await t.snap(page, 'cycle-list');

  await page.getByTestId('new-cycle').click();
  const dlg = page.getByTestId('new-cycle-dialog');
  await dlg.waitFor();
  await field(page, 'new-year').fill('2024-25');
  await page.getByTestId('new-submit').click();
  assert.match(await errorUnder(field(page, 'new-year')).innerText(), /学年须写作/);
  await field(page, 'new-year').fill('2024-2025');
  await page.getByTestId('new-submit').click();
  await page.waitForURL(/\/cycle\/cycles\/\d+/);
  w.cycle = Number(page.url().match(/\/cycle\/cycles\/(\d+)/)[1]);
  await page.getByTestId('cycle-setup').waitFor();
  assert.equal((await page.getByTestId('cycle-state').innerText()).trim(), '草稿');

  // Dates.
  await field(page, 'dates-open').fill('2024-09-02');
  await field(page, 'dates-open').press('Enter');
  await field(page, 'dates-close').fill('2024-09-13');
  await field(page, 'dates-close').press('Enter');
  await page.getByTestId('dates-save').click();
  await page.getByTestId('dates-saved').waitFor();
  assert.equal(await page.getByTestId('cycle-dates').innerText(), '2024-09-02 至 2024-09-13');
  await t.snap(page, 'cycle-dates');

  // Opening before the budgets: the server refuses and says why.
  provoke(w, /\/cycle\/cycles\/\d+/, 422);
  await page.getByTestId('action-open').click();
  await confirmBox(page, '开始受理申请');
  assert.match(await page.getByTestId('action-error').innerText(), /请先设置学校预算/);
  assert.equal((await page.getByTestId('cycle-state').innerText()).trim(), '草稿');

  // The policy as a form: version 1 (the default for 2024-2025).
  await tab(page, '资助政策');
  await page.getByTestId('policy-editor').waitFor();
  await page.getByTestId('policy-version').waitFor();
  await settled(page);
  assert.equal(await page.getByTestId('policy-version').innerText(), '第 1 版');
  assert.equal(await rowsOf(page, 'policy-levels').count(), 3);
  assert.equal(await field(page, 'level-amount-3').inputValue(), '1000.00');
  assert.equal(await field(page, 'policy-reference-date').inputValue(), '2024-09-01');
  const codes = await page.getByTestId('policy-categories').locator('tbody tr.el-table__row td:first-child input').evaluateAll((xs) => xs.map((x) => x.value));
  assert.deepEqual(codes, ['POVERTY', 'ORPHAN', 'UNSUPPORTED', 'DISABLED', 'DIBAO', 'DESTITUTE', 'MARTYR']);
  await t.snap(page, 'cycle-policy');
  // Brackets must ascend: a rule only the server checks across rows; its
  // answer names income_bracket[2].below, and the message goes there.
  const below2 = field(page, 'bracket-below-2');
  const before = await below2.inputValue();
  await below2.fill('3000');
  provoke(w, /\/cycle\/cycles\/\d+/, 422);
  await page.getByTestId('policy-save').click();
  await page.getByTestId('policy-error').waitFor();
  assert.match(await errorUnder(below2).innerText(), /收入档次必须严格递增/);
  assert.match(await page.getByTestId('policy-error').innerText(), /income_bracket\[2\]\.below/);
  await t.snap(page, 'cycle-policy-refused');
  await below2.fill(before);
  await page.getByTestId('policy-save').click();
  await page.getByTestId('policy-saved').waitFor();
  assert.equal(await page.getByTestId('policy-version').innerText(), '第 2 版');
  assert.equal(await field(page, 'bracket-below-2').inputValue(), '8000.00');
  await errorUnder(below2).waitFor({ state: 'hidden' });

  // Budgets: room for three level-3 awards at the own school.
  await tab(page, '学校预算');
  await page.getByTestId('budget-table').waitFor();
  await settled(page);
  // A school may be on another page of the table: the filter finds it.
  const filter = page.getByTestId('budget-editor').locator('input[placeholder="按学校名称或标识码筛选"]');
  const budget = async (code, amount) => {
    await filter.fill(code);
    await field(page, `budget-${code}`).fill(amount);
  };
  await budget(o.school_own, '3000.001');
  await page.getByTestId('budget-save').click();
  assert.match(await errorUnder(field(page, `budget-${o.school_own}`)).innerText(), /最多两位小数/);
  await budget(o.school_own, '3000.00');
  await budget(o.school_other, '5000.00');
  await filter.fill('');
  await page.getByTestId('budget-save').click();
  await page.getByTestId('budget-saved').waitFor();
  assert.match(await page.getByTestId('budget-saved').innerText(), /2 所学校，合计 8,000\.00 元/);
  assert.equal(await page.getByTestId('budget-total').innerText(), '8,000.00');
  await t.snap(page, 'cycle-budgets');

  // Open.
  await page.getByTestId('action-open').click();
  await confirmBox(page, '开始受理申请');
  await page.waitForFunction(() => document.querySelector('[data-test="cycle-state"]')?.textContent.trim() === '申请中');
  assert.equal(await page.getByTestId('action-error').count(), 0);
  await t.snap(page, 'cycle-opened');
  await ctx.close();
}

// Still 2024-08-26: the list template (XLSX and CSV), a bad file whose every
// row is refused (the per-row table: file, row, column, value, reason), then
// the 民政局's 低保 list with two students of the own school.
export async function importList(t, w) {
  const o = w.objects;
  // Test data preparation, not a UI step: the list needs the ID numbers of
  // two own-school students, and no page of this slice reveals them yet, so
  // the county officer's API client reveals them (audited, as the page
  // would).
  const api = await apiAs(t, w, 'county_officer');
  const roster = await api.get(`/api/v1/students?school_code=${o.school_own}&page_size=60`);
  assert.equal(roster.status, 200, roster.text);
  const picked = [];
  for (const s of roster.data.items.filter((x) => !o.guardian_children.includes(x.id))) {
    if (picked.length === 2) break;
    const shown = await api.post(`/api/v1/students/${s.id}/reveal`, { reason: '核对低保名单' });
    assert.equal(shown.status, 200, shown.text);
    if (shown.data.id_number) picked.push({ id: s.id, name: shown.data.name, id_number: shown.data.id_number });
  }
  assert.equal(picked.length, 2);

  const { ctx, page } = await open(t, w, `/cycle/lists?cycle=${w.cycle}`, 'list-import');
  await page.getByTestId('template-columns-dept-list').locator('tbody tr').first().waitFor();
  await settled(page);
  const columns = (await rowsOf(page, 'template-columns-dept-list').locator('td:first-child').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(columns, ['身份证号', '姓名', '类别', '有效期起', '有效期止', '来源部门']);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-xlsx-dept-list').click()]);
  assert.equal(xlsx.suggestedFilename(), '部门名单导入模板.xlsx');
  assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-csv-dept-list').click()]);
  const csvText = readFileSync(await csv.path(), 'utf8');
  assert.equal(csvText, '\uFEFF' + columns.join(',') + '\r\n');
  await t.snap(page, 'list-import');

  // Without a source the upload waits for one.
  await pickOption(page, 'list-source', '民政局');
  const header = csvText.replace(/^\uFEFF/, '');
  const bad = header
    + '110101201501011235,错号,DIBAO,2024-01-01,2025-12-31,\r\n'
    + `${picked[0].id_number},${picked[0].name},低收入,2024-01-01,2025-12-31,\r\n`
    + `${picked[1].id_number},${picked[1].name},DIBAO,2024-01-01,2025-13-31,\r\n`;
  await page.getByTestId('upload-dept-list').locator('input[type=file]').setInputFiles({ name: '低保名单-有误.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByTestId('upload-submit-dept-list').click();
  await page.getByTestId('import-result-dept-list').waitFor();
  assert.equal(await page.getByTestId('count-accepted').innerText(), '0');
  assert.equal(await page.getByTestId('count-rejected').innerText(), '3');
  assert.match(await page.getByTestId('upload-progress-dept-list').innerText(), /100%/);
  const rejects = await rowsOf(page, 'rejects-dept-list').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  assert.deepEqual(rejects.map((r) => r.slice(0, 3)), [
    ['低保名单-有误.csv', '2', '身份证号'], ['低保名单-有误.csv', '3', '类别'], ['低保名单-有误.csv', '4', '有效期止'],
  ]);
  assert.match(rejects[0][4], /BAD_ID/);
  assert.equal(rejects[1][3], '低收入');
  assert.match(rejects[1][4], /政策中没有这个类别（UNKNOWN_CATEGORY）/);
  assert.match(rejects[2][4], /BAD_DATE/);
  await page.getByTestId('rejects-dept-list').scrollIntoViewIfNeeded();
  await t.snap(page, 'list-import-rejects');

  // The good list.
  const good = header + picked.map((p) => `${p.id_number},${p.name},DIBAO,2024-01-01,2025-12-31,`).join('\r\n') + '\r\n';
  await page.getByTestId('upload-dept-list').locator('input[type=file]').setInputFiles({ name: '民政局低保名单.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByTestId('upload-submit-dept-list').click();
  await page.waitForFunction(() => document.querySelector('[data-test="import-result-dept-list"]')?.textContent.includes('民政局低保名单.csv'));
  assert.equal(await page.getByTestId('count-accepted').innerText(), '2');
  assert.equal(await page.getByTestId('count-rejected').innerText(), '0');
  assert.equal(await page.getByTestId('rejects-dept-list').count(), 0);
  // Both imports are kept, the bad one with nothing accepted.
  await page.waitForFunction(() => document.querySelectorAll('[data-test="list-history"] tbody tr.el-table__row').length === 2);
  const history = await rowsOf(page, 'list-history').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  assert.deepEqual(history.map((r) => [r[1], r[2], r[3]]).sort(), [['民政局', '0', '3'], ['民政局', '2', '0']]);
  await page.getByTestId('import-result-dept-list').scrollIntoViewIfNeeded();
  await t.snap(page, 'list-import-done');
  const goodRow = history.find((r) => r[2] === '2');
  w.listImport = { id: Number(goodRow[0]), accepted: 2, rejected: 0 };
  w.listed = picked.map((p) => p.id);
  w.listedNames = picked.map((p) => p.name);
  await ctx.close();
}

// 2024-09-14: the applications end (confirmation); the cycle is 评审中.
export async function closeApplications(t, w) {
  await on(w, '2024-09-14');
  const { ctx, page } = await open(t, w, `/cycle/cycles/${w.cycle}`, 'cycle-setup');
  await page.getByTestId('cycle-state').waitFor();
  assert.equal((await page.getByTestId('cycle-state').innerText()).trim(), '申请中');
  await page.getByTestId('action-close-applications').click();
  await confirmBox(page, '结束申请');
  await page.waitForFunction(() => document.querySelector('[data-test="cycle-state"]')?.textContent.trim() === '评审中');
  assert.equal(await page.getByTestId('action-error').count(), 0);
  // The policy is fixed now: the editor is read-only.
  await tab(page, '资助政策');
  await page.getByTestId('policy-version').waitFor();
  assert.equal(await page.getByTestId('policy-save').count(), 0);
  await t.snap(page, 'cycle-review');
  await ctx.close();
}

// 2024-09-18: an officer runs the identification in the background
// (confirmation, then its steps while the server works), reads the results
// with the filters, and opens a listed student's explanation: 低保 proved by
// the 民政局's list entry. `as` is 'school_officer' (the year walk: the
// school runs it for itself, issue 7) or 'county_officer' (the whole
// county, tests/ui/cycle.test.mjs).
export async function identify(t, w, { as = 'county_officer' } = {}) {
  await on(w, '2024-09-18');
  const o = w.objects;
  const county = as === 'county_officer';
  const { ctx, page } = await open(t, w, `/cycle/identification?cycle=${w.cycle}`, 'identification', as);
  await page.getByTestId('ident-cycle-state').waitFor();
  await page.getByTestId('run-table').getByText('还没有认定记录').waitFor();
  assert.equal(await rowsOf(page, 'run-table').count(), 0);
  assert.equal(await page.getByTestId('run-school').count(), county ? 1 : 0, 'only the county chooses a school');
  await t.snap(page, 'identification-before');

  // Every text the progress line shows, however briefly (a school's run
  // takes well under a second): the steps are what the page must show.
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const text = document.querySelector('[data-test="run-step"]')?.textContent;
      if (text && window.__progress.at(-1) !== text) window.__progress.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('run-identification').click();
  await confirmBox(page, '运行');
  await page.getByTestId('run-done').waitFor({ timeout: 60000 });
  const done = await page.getByTestId('run-done').innerText();
  const [, runId, results] = done.match(/认定完成（编号 (\d+)）：名册学生 \d+ 人，结果 (\d+) 行/);
  const progress = await page.evaluate(() => window.__progress);
  assert.ok(progress.length >= 1, 'the progress was shown');
  for (const text of progress) {
    if (county) assert.match(text, /（全区县）/, text); else assert.doesNotMatch(text, /全区县/, text);
    assert.match(text, /排队中|第 [1-6] \/ 6 步，/, text);
  }
  assert.equal(await page.getByTestId('run-progress').count(), 0, 'the progress goes when done');
  assert.equal(await page.getByTestId('run-identification').isEnabled(), true);
  await page.waitForFunction((n) => /共 (\d+) 行/.exec(document.querySelector('[data-test="result-count"]')?.textContent || '')?.[1] === n, results);
  await settled(page);
  assert.equal(await rowsOf(page, 'run-table').count(), 1);
  const scope = await rowsOf(page, 'run-table').first().locator('td:nth-child(2)').innerText();
  if (county) assert.equal(scope.trim(), '全区县'); else assert.notEqual(scope.trim(), '全区县');
  assert.ok(Number(results) >= 3, `results: ${results}`);
  await t.snap(page, 'identification-results');

  // Filters: the own school, then only the funded.
  const shownCount = async () => Number(await (await page.waitForFunction(() =>
    /筛选后 (\d+) 行/.exec(document.querySelector('[data-test="result-count"]')?.textContent || '')?.[1])).jsonValue());
  await pickOption(page, 'filter-school', o.school_own);
  if (county) {
    // The count of the server's answer (while it is asked, the line says 正在查询).
    await page.waitForFunction((n) => {
      const m = /筛选后 (\d+) 行/.exec(document.querySelector('[data-test="result-count"]')?.textContent || '');
      return m && m[1] !== n;
    }, results);
  }
  const ownCount = await shownCount();
  if (county) assert.ok(ownCount >= 3 && ownCount < Number(results), `own school ${ownCount} of ${results}`);
  else assert.equal(ownCount, Number(results), 'a school\'s run has its own rows only');
  const schools = await rowsOf(page, 'result-table').locator('td:nth-child(4)').allInnerTexts();
  assert.equal(new Set(schools).size, 1, 'one school after the filter');
  await pickOption(page, 'filter-status', '拟资助');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test="result-table"] tbody tr.el-table__row td:nth-child(5)')]
    .every((td) => td.innerText.trim() === '拟资助'));
  const funded = await rowsOf(page, 'result-table').count();
  for (const text of await rowsOf(page, 'result-table').locator('td:nth-child(5)').allInnerTexts()) assert.equal(text.trim(), '拟资助');
  assert.ok(funded >= 2, `funded at the own school: ${funded}`);
  await t.snap(page, 'identification-filtered');
  await page.getByRole('button', { name: '重置' }).click();

  // By name (names repeat in a county: the row with the category is the one).
  await pickOption(page, 'filter-school', o.school_own);
  for (const name of w.listedNames) {
    await searchName(page, name);
    assert.equal(await rowsOf(page, 'result-table').filter({ hasText: 'DIBAO' }).count(), 1, `${name} is proved 低保`);
  }
  // The first listed student's explanation, as an officer reads it to a parent.
  await searchName(page, w.listedNames[0]);
  const listedRow = rowsOf(page, 'result-table').filter({ hasText: w.listedNames[0] }).filter({ hasText: 'DIBAO' });
  await listedRow.waitFor();
  await listedRow.getByRole('button', { name: '说明' }).click();
  const drawer = page.getByTestId('explain-drawer');
  await drawer.getByTestId('explain-status').waitFor();
  const sections = await drawer.getByTestId('explain-section').allInnerTexts();
  const categories = sections.find((s) => s.startsWith('一、认定类别'));
  assert.ok(categories, 'the categories section');
  assert.match(categories, /DIBAO 城乡低保家庭：.* 第 \d+ 行，来源 民政局，有效期 2024-01-01 至 2025-12-31，按学生本人身份证号匹配 → 在有效期内，认定/);
  assert.ok(sections.some((s) => s.startsWith('二、得分')));
  assert.ok(sections.some((s) => s.startsWith('五、结果')));
  assert.match(await drawer.getByTestId('explain-category').first().innerText(), /城乡低保家庭（DIBAO）/);
  assert.doesNotMatch(sections.join('\n'), /\d{17}[\dX]/, 'no full ID number in the explanation');
  await t.snap(page, 'identification-explanation');
  await drawer.locator('.el-drawer__close-btn').click();
  await drawer.waitFor({ state: 'hidden' });
  w.run = { id: Number(runId), results: Number(results) };
  await ctx.close();
}
