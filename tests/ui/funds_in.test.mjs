// The funds pages in real Chromium (docs/web.md "Funds pages"), desktop
// viewport, against a `zizhu demo` server on a temporary database: finance
// records two receipts from different sources (one a donor), retries one and
// sees "exists", corrects one, allocates to the own school; prepares term 1
// of last year's approved list; the county officer approves it on the digest
// and opens a line's trace (batch, filed list with its SM3, entry, decision
// with the panel's tally and reason, ledger transfers); the bank's return
// (one line failed, through the API) and finance returns the failed line's
// money from the batch page; finance publishes the cycle's fund use after
// the confirmation with the figures; the auditor downloads the audit report
// for a date range. Any console error, page error, failed request or 5xx
// fails the test; every page is saved as a screenshot under ZIZHU_UI_OUT.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, user } from '../api/harness.mjs';
import { DESK, ROOT, startBrowserTest, unexcusedProblems } from './browser.mjs';

let t;
before(async () => {
  t = await startBrowserTest({ out: process.env.ZIZHU_UI_OUT || join(ROOT, 'build/ui-screenshots/funds_in') });
});
after(() => t?.stop());

// This test's helpers over browser.mjs.
const allowed = [];
const ui = {
  get base() { return t.server.base; },
  get objects() { return t.server.creds.objects; },
  user: (key) => user(t.server, key),
  context: (options) => t.context(options),
  snap: (page, name) => t.snap(page, name),
  // The dashboard's reads finished: a following page.goto aborts none.
  async login(page, key) { await page.goto(ui.base + '/login'); await t.loginHere(page, key); await page.waitForLoadState('networkidle'); },
  async logout(page) {
    await page.getByTestId('user').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
  },
  // A sidebar page: the group (when closed), then the item.
  async menu(page, group, item) {
    const bar = page.getByTestId('sidebar');
    if (!(await bar.getByText(item, { exact: true }).isVisible())) await bar.getByText(group, { exact: true }).click();
    await bar.getByText(item, { exact: true }).click();
  },
  // An option of an Element Plus select, by its text.
  async pick(page, trigger, text) {
    await trigger.click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
  },
  // A refusal (4xx) this test provokes on the page whose URL matches: Chromium
  // logs it as a console error ("Failed to load resource"); excused once.
  allow(pageUrl, status) { allowed.push({ pageUrl, status }); },
};
function unexcused(problems) { return unexcusedProblems(problems, allowed); }

const o = () => ui.objects;
let cycleName = '';
let schoolName = '';
let batchId = '';

// Element Plus puts an el-input's attributes on the native input itself.
function field(page, testId) {
  return page.locator(`input[data-test="${testId}"], textarea[data-test="${testId}"], [data-test="${testId}"] input`).first();
}
async function fill(page, testId, value) {
  await field(page, testId).fill(value);
}

test('finance records receipts (a retry answers exists), a correction and an allocation', async () => {
  const api = new Client(ui.base);
  await api.login(ui.user('finance'));
  cycleName = (await api.get(`/api/v1/cycles/${o().cycle_past_own}`)).data.name;
  schoolName = (await api.get(`/api/v1/schools/${o().school_own}`)).data.name;

  const ctx = await ui.context(DESK);
  const page = await ctx.newPage();
  await ui.login(page, 'finance');
  await ui.menu(page, '资金管理', '资金到账');
  await page.getByTestId('receipts').waitFor();
  // The server's list: the demo's county has no receipt yet.
  await page.getByTestId('receipt-log').getByText('还没有到账记录').waitFor();
  await ui.snap(page, 'finance-receipts-empty');

  // A central-government receipt: the budget document number is required.
  await page.getByTestId('new-receipt').click();
  const dlg = page.getByTestId('receipt-dialog');
  const firstId = (await dlg.getByTestId('receipt-transfer-id').innerText()).trim();
  assert.match(firstId, /^\d+$/);
  await ui.pick(page, dlg.getByTestId('receipt-source'), '中央财政');
  await fill(page, 'receipt-amount', '6000');
  await ui.pick(page, dlg.getByTestId('receipt-cycle'), cycleName);
  // Without the document number the server refuses beside the field.
  ui.allow(/\/funds\/receipts$/, 400);
  await dlg.getByTestId('receipt-submit').click();
  await dlg.locator('.el-form-item__error').first().waitFor();
  assert.match(await dlg.innerText(), /预算文件号/);
  await ui.snap(page, 'finance-receipt-field-error');
  await fill(page, 'receipt-budget-doc', '财教〔2025〕71号');
  await dlg.getByTestId('receipt-submit').click();
  await dlg.getByTestId('receipt-result').getByText('已记账').waitFor();
  assert.match(await dlg.getByTestId('receipt-result').innerText(), /6,000\.00/);
  await ui.snap(page, 'finance-receipt-ok');
  await dlg.getByRole('button', { name: '关闭', exact: true }).click();

  // A donor's receipt, then the same dialog's retry: "exists", booked once.
  await page.getByTestId('new-receipt').click();
  const donorId = (await dlg.getByTestId('receipt-transfer-id').innerText()).trim();
  assert.notEqual(donorId, firstId, 'a new transfer id for each opening of the dialog');
  await ui.pick(page, dlg.getByTestId('receipt-source'), '社会捐助');
  await fill(page, 'receipt-source-name', '城关区爱心助学会');
  await fill(page, 'receipt-amount', '3000.00');
  await ui.pick(page, dlg.getByTestId('receipt-cycle'), cycleName);
  await dlg.getByTestId('receipt-submit').click();
  await dlg.getByTestId('receipt-result').getByText('已记账').waitFor();
  await dlg.getByTestId('receipt-submit').click();  // the retry
  await dlg.getByTestId('receipt-result').getByText('已存在').waitFor();
  assert.equal((await dlg.getByTestId('receipt-transfer-id').innerText()).trim(), donorId, 'the retry reuses the id');
  await ui.snap(page, 'finance-receipt-retry-exists');
  await dlg.getByRole('button', { name: '关闭', exact: true }).click();

  // The server's list (newest first) and the balances: booked once.
  const log = page.getByTestId('receipt-log');
  await log.getByText('城关区爱心助学会').waitFor();
  const listed = await log.locator('.el-table__body-wrapper .el-table__row').allInnerTexts();
  assert.equal(listed.length, 2, 'the retry is not a second receipt');
  assert.match(listed[0], new RegExp(`${donorId}[\\s\\S]*城关区爱心助学会`));
  assert.match(listed[1], new RegExp(`${firstId}[\\s\\S]*财教〔2025〕71号`));
  await page.getByTestId('dedicated-balance').getByText('9,000.00').waitFor();

  // A correction of the central receipt (from its row).
  await log.locator('.el-table__row', { hasText: '财教〔2025〕71号' }).first().getByRole('button', { name: '更正' }).click();
  const cdlg = page.getByTestId('correction-dialog');
  assert.equal(await field(page, 'correction-receipt').inputValue(), firstId);
  await fill(page, 'correction-amount', '100');
  await fill(page, 'correction-reason', '到账金额录入多记 100 元');
  await cdlg.getByTestId('correction-submit').click();
  await cdlg.getByTestId('correction-result').getByText('已更正').waitFor();
  await ui.snap(page, 'finance-correction-ok');
  await cdlg.getByRole('button', { name: '关闭', exact: true }).click();
  await page.getByTestId('dedicated-balance').getByText('8,900.00').waitFor();
  await log.locator('.el-table__row', { hasText: '财教〔2025〕71号' }).first().getByText('100.00').waitFor();  // 已更正
  const totals = await page.getByTestId('source-totals').innerText();
  assert.match(totals, /中央财政\s*5,900\.00/);
  assert.match(totals, /社会捐助\s*3,000\.00/);
  await ui.snap(page, 'finance-receipts');

  // The allocation to the own school.
  await ui.menu(page, '资金管理', '资金分配');
  await page.getByTestId('school-table').getByText(schoolName).waitFor();
  await ui.snap(page, 'finance-allocations');
  await page.getByTestId(`allocate-${o().school_own}`).click();
  const adlg = page.getByTestId('allocation-dialog');
  assert.match(await adlg.getByTestId('allocation-school').innerText(), new RegExp(schoolName));
  // More than the dedicated account holds: refused beside the amount.
  ui.allow(/\/funds\/allocations$/, 422);
  await fill(page, 'allocation-amount', '99999');
  await ui.pick(page, adlg.getByTestId('allocation-cycle'), cycleName);
  await adlg.getByTestId('allocation-submit').click();
  await adlg.locator('.el-form-item__error').getByText('余额不足').waitFor();  // beside the amount
  await ui.snap(page, 'finance-allocation-refused');
  await adlg.getByRole('button', { name: '关闭', exact: true }).click();
  await page.getByTestId(`allocate-${o().school_own}`).click();
  await fill(page, 'allocation-amount', '8800.00');
  await ui.pick(page, adlg.getByTestId('allocation-cycle'), cycleName);
  await adlg.getByTestId('allocation-submit').click();
  await adlg.getByTestId('allocation-result').getByText('已分配').waitFor();
  await adlg.getByTestId('allocation-submit').click();
  await adlg.getByTestId('allocation-result').getByText('已存在').waitFor();
  await ui.snap(page, 'finance-allocation-ok');
  await adlg.getByRole('button', { name: '关闭', exact: true }).click();
  await page.getByTestId('dedicated-balance').getByText('100.00').waitFor();
  // The allocations list (the server's): this one once, the refused one not at all.
  await page.getByTestId('allocation-log').getByText('8,800.00').waitFor();
  assert.equal(await page.getByTestId('allocation-log').locator('.el-table__row', { hasText: '8,800.00' }).count(), 1);

  // Term 1 of last year's approved list.
  await ui.menu(page, '资金管理', '付款批次');
  await ui.pick(page, page.getByTestId('cycle-picker'), cycleName);
  await page.waitForURL(new RegExp(`cycle=${o().cycle_past_own}`));
  await page.getByTestId('prepare').click();
  await page.getByTestId('prepare-submit').click();
  await page.waitForURL(/\/funds\/batches\/\d+$/);
  batchId = page.url().match(/\/funds\/batches\/(\d+)$/)[1];
  await page.getByTestId('digest').waitFor();
  await ui.snap(page, 'finance-batch-prepared');
  await ui.logout(page);
  await ctx.close();
});

test('the county officer approves and traces a line to its decision', async () => {
  const ctx = await ui.context(DESK);
  const page = await ctx.newPage();
  await ui.login(page, 'county_officer');
  const bar = await page.getByTestId('sidebar').innerText();
  assert.doesNotMatch(bar, /资金到账/, 'receipts are finance\'s');
  await page.goto(`${ui.base}/funds/batches/${batchId}`);
  await page.getByTestId('approve').click();
  await page.getByTestId('approve-confirm').click();
  await page.getByTestId('batch-state').getByText('已审批').waitFor();
  await ui.snap(page, 'county-batch-approved');

  await page.getByTestId('lines').getByTestId('trace-line').first().click();
  await page.waitForURL(/\/funds\/lines\/\d+\/trace/);
  await page.getByTestId('trace-filing-sm3').waitFor();
  assert.match((await page.getByTestId('trace-filing-sm3').innerText()).trim(), /^[0-9a-f]{64}$/);
  assert.match(await page.getByTestId('trace-batch').innerText(), new RegExp(`C${o().cycle_past_own}-T1`));
  assert.match(await page.getByTestId('trace-entry').innerText(), /评审决定|名单变更/);
  const basis = await page.getByTestId('trace-basis').innerText();
  assert.match(basis, /评审表决/);
  assert.match(await page.getByTestId('trace-votes').innerText(), /\d+ 档 \d+ 票/, 'the panel\'s tally in words');
  assert.match(basis, /理由/);
  const transfers = await page.getByTestId('trace-transfers').innerText();
  assert.match(transfers, /付款/);
  assert.match(transfers, /待定/);
  assert.match(transfers, /中央财政/);
  await ui.snap(page, 'county-trace-pending');
  await page.getByRole('button', { name: '返回批次' }).click();
  await page.getByTestId('batch-detail').waitFor();
  await ui.logout(page);
  await ctx.close();
});

test('finance returns a failed line\'s money, traces it and publishes the fund use', async () => {
  // The bank's return with the first line failed (the import page is
  // walk.test.mjs's; here through the API).
  const api = new Client(ui.base);
  await api.login(ui.user('finance'));
  const batch = (await api.get(`/api/v1/payment-batches/${batchId}`)).data;
  const rows = batch.lines.map((l, i) => (i === 0 ? `${l.line_no},失败,账户已销户,,2025-10-20` : `${l.line_no},成功,,B${i},2025-10-20`));
  const file = ['明细流水号,状态,失败原因,银行流水号,处理日期', ...rows].join('\r\n') + '\r\n';
  const imported = await api.request('POST', `/api/v1/payment-batches/${batchId}/return?name=huipan.csv`,
    { body: Buffer.from(file, 'utf8'), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(imported.status, 200, imported.text);
  const failed = batch.lines[0];

  const ctx = await ui.context(DESK);
  const page = await ctx.newPage();
  await ui.login(page, 'finance');
  await page.goto(`${ui.base}/funds/batches/${batchId}`);
  const row = page.getByTestId('lines').locator('.el-table__row', { hasText: failed.line_no });
  await page.getByTestId('lines').getByTestId('return-line').first().waitFor();
  await page.getByTestId('lines').getByTestId('return-line').first().click();
  const box = page.locator('.el-message-box');
  await box.getByText('退回后该生本学期不再发放').waitFor();
  await ui.snap(page, 'finance-return-line-confirm');
  await box.locator('input').fill('学生已转学外省，本学期不再发放');
  await box.getByRole('button', { name: '确认退回' }).click();
  await page.locator('.el-message--success').getByText('已退回').waitFor();
  await page.getByTestId('lines').getByText('已退回').first().waitFor();
  assert.equal(await page.getByTestId('lines').getByTestId('return-line').count(), 0);
  await ui.snap(page, 'finance-line-returned');

  await page.getByTestId('lines').locator('.el-table__row', { hasText: '已退回' }).first().getByTestId('trace-line').click();
  await page.getByTestId('trace-transfers').getByText('退回区县').waitFor();
  const tr = await page.getByTestId('trace-transfers').innerText();
  assert.match(tr, /作废/);
  assert.match(await page.getByTestId('trace-status').innerText(), /已退回/);
  await ui.snap(page, 'finance-trace-returned');
  void row;

  // Publishing: the confirmation shows the figures first.
  await ui.menu(page, '资金管理', '资金公示与审计');
  await ui.pick(page, page.getByTestId('cycle-picker'), cycleName);
  await page.getByTestId('publication-table').getByText('还没有发布资金使用公示').waitFor();
  await ui.snap(page, 'finance-publications-empty');
  await page.getByTestId('publish').click();
  const pdlg = page.getByTestId('publish-dialog');
  await pdlg.getByTestId('preview-paid').waitFor();
  const paidExpected = batch.lines.slice(1).reduce((s, l) => s + Math.round(Number(l.amount) * 100), 0);
  const paidShown = (await pdlg.getByTestId('preview-paid').innerText()).replace(/,/g, '');
  assert.equal(Math.round(Number(paidShown) * 100), paidExpected, 'the confirmation shows what was paid');
  assert.match(await pdlg.getByTestId('preview-sources').innerText(), /社会捐助\s*3,000\.00/);
  await ui.snap(page, 'finance-publish-confirm');
  await pdlg.getByTestId('publish-confirm').click();
  const shown = page.getByTestId('publication-dialog');
  await shown.getByText('SM3').waitFor();
  assert.match(await shown.innerText(), /城关区爱心助学会/);
  await ui.snap(page, 'finance-publication');
  await shown.locator('.el-dialog__headerbtn').click();
  assert.equal(await page.getByTestId('publication-table').locator('.el-table__body-wrapper .el-table__row').count(), 1);
  await ui.snap(page, 'finance-publications');
  await ui.logout(page);
  await ctx.close();

  const pub = (await api.get('/api/v1/public/fund-publications')).data.items.find((p) => p.cycle_id === o().cycle_past_own);
  assert.ok(pub, 'the publication is public');
  assert.equal(pub.figures.totals.paid_fen, paidExpected);
});

test('the auditor downloads the audit report for a date range', async () => {
  const ctx = await ui.context(DESK);
  const page = await ctx.newPage();
  await ui.login(page, 'auditor');
  await ui.menu(page, '资金管理', '资金公示与审计');
  await page.getByTestId('audit-report').waitFor();
  assert.equal(await page.getByTestId('publish').count(), 0, 'only finance publishes');
  await page.getByTestId('audit-report').locator('.el-range-editor').click();
  await page.locator('.el-picker-panel__shortcut:visible', { hasText: '近一年' }).click();
  await ui.snap(page, 'auditor-report-range');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()]);
  assert.match(download.suggestedFilename(), /^audit-.*\.xlsx$/);
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX (zip) file');
  await page.getByTestId('report-done').waitFor();
  await ui.snap(page, 'auditor-report-downloaded');
  await ctx.close();
});

test('no console error, failed request or server error on any page', () => {
  assert.deepEqual(unexcused(t.problems), []);
});
