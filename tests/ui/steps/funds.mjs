// The year walk's payment step (tests/ui/steps/world.mjs), desktop viewport,
// the browser only; the only API call is moving the clock (w.on).
//
// Reads:  w.cycle, w.filing { total } (review.file: the approved list),
//         w.objects.school_own, w.clockOffsetMs
// Adds:   w.batches      [first term-1 batch id, the repayment batch id]
//         w.failedLine   { line_no, name } the line the bank failed
//         w.paid         the yuan paid at the end ("1,500.00" as shown)
//         w.publication  { sm3 } the fund-use publication
//
// Finance and the county officer each keep one session through the day
// (two browser contexts): maker and checker side by side, as in an office.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DESK, PHONE, settle, track } from '../browser.mjs';
import { user } from '../../api/harness.mjs';
import { on, serverTotp } from './session.mjs';

// The clock and the TOTP codes of the server's time: session.mjs (one
// record of the codes used, shared with every step module).

async function session(t, w, key, path, landing) {
  const ctx = await t.context(DESK);
  const page = await ctx.newPage();
  track(page);
  await page.goto(t.server.base + path);
  const u = user(t.server, key);
  await page.getByTestId('login-form').waitFor();
  await page.locator('input[name=username]').fill(u.username);
  await page.locator('input[name=password]').fill(u.password);
  await page.getByTestId('login-submit').click();
  if (u.totp_secret) {
    await page.getByTestId('totp-form').waitFor();
    await page.locator('input[name=code]').fill(await serverTotp(w, u));
    await page.getByTestId('totp-submit').click();
  }
  await page.getByTestId(landing).waitFor();
  await settle(page);
  return { ctx, page };
}

async function go(t, page, path, landing) {
  await settle(page);
  await page.goto(t.server.base + path);
  await page.getByTestId(landing).waitFor();
  await settle(page);
}

async function menu(page, group, item) {
  await settle(page);
  const bar = page.getByTestId('sidebar');
  if (!(await bar.getByText(item, { exact: true }).isVisible())) await bar.getByText(group, { exact: true }).click();
  await bar.getByText(item, { exact: true }).click();
}

async function pick(page, trigger, text) {
  await trigger.click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

const field = (scope, id) => scope.locator(`input[data-test="${id}"], textarea[data-test="${id}"], [data-test="${id}"] input`).first();
const rowsOf = (page, table) => page.getByTestId(table).locator('tbody tr.el-table__row');
const fen = (s) => { const [i, f = ''] = String(s).replace(/,/g, '').trim().split('.'); return Number(i) * 100 + Number((f + '00').slice(0, 2)); };

async function confirmBox(page, button) {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.getByRole('button', { name: button }).click();
  await box.waitFor({ state: 'hidden' });
}

// The bank's file of a batch, downloaded from its page: the line numbers.
async function downloadLines(page) {
  await page.getByTestId('download-csv').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /合计/);
  return [...new Set(csv.match(/\d{6}-C\d+-T\d-B\d+-\d{5}/g))];
}

async function importReturn(page, rows) {
  const file = ['明细流水号,状态,失败原因,银行流水号,处理日期', ...rows].join('\r\n') + '\r\n';
  await page.getByTestId('open-return').click();
  await page.getByTestId('return-file').setInputFiles({ name: 'huipan.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
  await page.getByTestId('return-submit').click();
  await page.getByTestId('return-result').waitFor();
}

async function approveBatch(t, page, id, snapName) {
  await go(t, page, `/funds/batches/${id}`, 'batch-detail');
  await page.getByTestId('digest').waitFor();
  const digest = (await page.getByTestId('digest').innerText()).trim();
  await page.getByTestId('approve').click();
  const dlg = page.getByTestId('approve-dialog');
  await dlg.getByTestId('approve-digest').waitFor();
  assert.equal((await dlg.getByTestId('approve-digest').innerText()).trim(), digest, 'the approver sees the digest');
  await t.snap(page, snapName);
  await dlg.getByTestId('approve-confirm').click();
  await page.getByTestId('batch-state').getByText('已审批').waitFor();
  await settle(page);
}

// 2024-10-15: the money, from the receipts to the public fund-use page.
export async function pay(t, w) {
  assert.ok(w.filing?.total, 'review.file ran');
  await on(w, '2024-10-15');
  const fin = await session(t, w, 'finance', `/funds/batches?cycle=${w.cycle}`, 'batches');
  let page = fin.page;
  await page.getByTestId('batch-table').getByText('这个周期还没有付款批次').waitFor();
  const picked = (await page.getByTestId('cycle-picker').innerText()).trim();
  const cycleLabel = picked.replace(/（.*$/, '').trim();  // 城关区 · <name>
  assert.ok(cycleLabel.length > 3, `the cycle's label (${picked})`);
  await t.snap(page, 'pay-batches-empty');

  // Receipts: central money with its budget document, a donor by name.
  await menu(page, '资金管理', '资金到账');
  await page.getByTestId('receipts').waitFor();
  await settle(page);
  const dlg = page.getByTestId('receipt-dialog');
  for (const [source, extra, amount] of [['中央财政', ['receipt-budget-doc', '财教〔2024〕88号'], '2000.00'],
    ['社会捐助', ['receipt-source-name', '爱心助学基金会'], '1000.00']]) {
    await page.getByTestId('new-receipt').click();
    await pick(page, dlg.getByTestId('receipt-source'), source);
    await field(dlg, extra[0]).fill(extra[1]);
    await field(dlg, 'receipt-amount').fill(amount);
    await pick(page, dlg.getByTestId('receipt-cycle'), cycleLabel);
    await dlg.getByTestId('receipt-submit').click();
    await dlg.getByTestId('receipt-result').getByText('已记账').waitFor();
    if (source === '社会捐助') await t.snap(page, 'pay-receipt-donor');
    await dlg.getByRole('button', { name: '关闭', exact: true }).click();
    await dlg.waitFor({ state: 'hidden' });
  }
  // The list is the server's: both receipts, of this cycle, newest first.
  await pick(page, page.getByTestId('receipt-filter-cycle'), cycleLabel);
  await rowsOf(page, 'receipt-log').nth(1).waitFor();
  await settle(page);
  const receipts = await rowsOf(page, 'receipt-log').allInnerTexts();
  assert.equal(receipts.length, 2, receipts.join(' | '));
  assert.match(receipts[0], /爱心助学基金会[\s\S]*1,000\.00/);
  assert.match(receipts[1], /中央财政[\s\S]*财教〔2024〕88号[\s\S]*2,000\.00/);
  await t.snap(page, 'pay-receipts');

  // The allocation the approved list needs.
  await menu(page, '资金管理', '资金分配');
  await page.getByTestId(`allocate-${w.objects.school_own}`).waitFor();
  await settle(page);
  await page.getByTestId(`allocate-${w.objects.school_own}`).click();
  const adlg = page.getByTestId('allocation-dialog');
  await field(adlg, 'allocation-amount').fill(w.filing.total);
  await pick(page, adlg.getByTestId('allocation-cycle'), cycleLabel);
  await adlg.getByTestId('allocation-submit').click();
  await adlg.getByTestId('allocation-result').getByText('已分配').waitFor();
  await adlg.getByRole('button', { name: '关闭', exact: true }).click();
  await adlg.waitFor({ state: 'hidden' });
  const allocated = rowsOf(page, 'allocation-log').first();
  await allocated.waitFor();
  await settle(page);
  assert.match(await allocated.innerText(), new RegExp(`${w.objects.school_own}[\\s\\S]*${Number(w.filing.total).toLocaleString('en-US', { minimumFractionDigits: 2 })}`));
  await t.snap(page, 'pay-allocations');

  // Term 1: finance prepares the batch.
  await go(t, page, `/funds/batches?cycle=${w.cycle}`, 'batches');
  await page.getByTestId('prepare').click();
  await page.getByTestId('prepare-dialog').getByText('第一学期').waitFor();
  await page.getByTestId('prepare-submit').click();
  await page.waitForURL(/\/funds\/batches\/\d+$/);
  const first = Number(page.url().match(/\/funds\/batches\/(\d+)$/)[1]);
  await page.getByTestId('digest').waitFor();
  await settle(page);
  const lineCount = Number(await page.getByTestId('line-count').innerText());
  assert.ok(lineCount >= 1, 'a line or more');
  const firstTotal = (await page.getByTestId('total').innerText()).trim();
  await t.snap(page, 'pay-batch-prepared');

  // The county officer approves it.
  const co = await session(t, w, 'county_officer', `/funds/batches/${first}`, 'batch-detail');
  await approveBatch(t, co.page, first, 'pay-approve-confirm');
  assert.equal(await co.page.getByTestId('download-csv').count(), 0, 'finance hands the file to the bank');

  // Finance: the bank file, the bank's return with the first line failed.
  await go(t, page, `/funds/batches/${first}`, 'batch-detail');
  const lineNos = await downloadLines(page);
  assert.equal(lineNos.length, lineCount);
  await importReturn(page, lineNos.map((no, i) => (i === 0 ? `${no},失败,账户已销户,,2024-10-16` : `${no},成功,,B${i},2024-10-16`)));
  assert.equal(await page.getByTestId('matched-success').innerText(), String(lineCount - 1));
  assert.equal(await page.getByTestId('matched-failure').innerText(), '1');
  await t.snap(page, 'pay-return-imported');
  await page.getByTestId('return-dialog').getByRole('button', { name: '关闭', exact: true }).click();
  await page.getByTestId('batch-state').getByText('已结清').waitFor();
  const failedRow = rowsOf(page, 'lines').filter({ hasText: lineNos[0] });
  await failedRow.getByText('账户已销户').waitFor();
  const failedCells = await failedRow.locator('td').allInnerTexts();
  w.failedLine = { line_no: lineNos[0], name: failedCells[2].trim() };
  assert.equal(await failedRow.getByTestId('fix-card').count(), 0, 'finance does not change cards');
  await settle(page);

  // The county officer fixes the card from the failed line.
  await go(t, co.page, `/funds/batches/${first}`, 'batch-detail');
  const coRow = rowsOf(co.page, 'lines').filter({ hasText: lineNos[0] });
  await coRow.getByTestId('fix-card').click();
  const cdlg = co.page.getByTestId('card-dialog');
  await cdlg.waitFor();
  assert.match(await cdlg.innerText(), /账户已销户/);
  await field(cdlg, 'card-number').fill('6222 0202 0000 1234 567');
  await field(cdlg, 'card-reason').fill('原卡已销户，监护人到校提供新卡');
  await t.snap(co.page, 'pay-fix-card');
  await cdlg.getByTestId('card-submit').click();
  await confirmBox(co.page, '确认修改');
  await co.page.locator('.el-message--success').getByText('已修改').waitFor();
  await cdlg.waitFor({ state: 'hidden' });
  await settle(co.page);

  // Finance pays that student in a new batch; the county officer approves it
  // (the card change is a risk note on the line).
  await go(t, page, `/funds/batches?cycle=${w.cycle}`, 'batches');
  await page.getByTestId('prepare').click();
  await page.getByTestId('prepare-dialog').getByText('第一学期').waitFor();
  await page.getByTestId('prepare-submit').click();
  await page.waitForURL((u) => /\/funds\/batches\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${first}`));
  const second = Number(page.url().match(/\/funds\/batches\/(\d+)$/)[1]);
  await page.getByTestId('digest').waitFor();
  await settle(page);
  assert.equal(await page.getByTestId('line-count').innerText(), '1');
  const again = await rowsOf(page, 'lines').first().innerText();
  assert.ok(again.includes(w.failedLine.name), `the repayment is for ${w.failedLine.name}`);
  assert.match(again, /4567/, 'to the new card');
  await t.snap(page, 'pay-second-batch');
  await approveBatch(t, co.page, second, 'pay-approve-second');
  await go(t, page, `/funds/batches/${second}`, 'batch-detail');
  const lineNos2 = await downloadLines(page);
  assert.equal(lineNos2.length, 1);
  await importReturn(page, [`${lineNos2[0]},成功,,B99,2024-10-18`]);
  assert.equal(await page.getByTestId('matched-success').innerText(), '1');
  await page.getByTestId('return-dialog').getByRole('button', { name: '关闭', exact: true }).click();
  await page.getByTestId('batch-state').getByText('已结清').waitFor();
  await t.snap(page, 'pay-second-settled');

  // Reconciliation of the cycle: everything of the first batch's total is paid.
  await go(t, page, `/funds/batches?cycle=${w.cycle}`, 'batches');
  await rowsOf(page, 'recon-batches').nth(1).waitFor();
  await settle(page);
  const schools = await rowsOf(page, 'recon-schools').allInnerTexts();
  assert.equal(schools.length, 1, schools.join(' | '));
  const cells = await rowsOf(page, 'recon-schools').first().locator('td').allInnerTexts();
  // 学校, 待审批, 银行处理中, 已付, 失败, 已退回
  assert.equal(cells[3].trim(), `${lineCount} / ${firstTotal}`, 'all paid');
  assert.match(cells[4].trim(), /^1 \/ [\d,]+\.\d\d$/, 'the failure stays on record');
  await t.snap(page, 'pay-reconciliation');
  w.batches = [first, second];
  w.paid = firstTotal;

  // The fund use published: the confirmation shows what was paid.
  await go(t, page, `/funds/reports?cycle=${w.cycle}`, 'fund-reports');
  await page.getByTestId('publish').click();
  const pdlg = page.getByTestId('publish-dialog');
  await pdlg.getByTestId('preview-paid').waitFor();
  assert.equal(fen(await pdlg.getByTestId('preview-paid').innerText()), fen(firstTotal));
  await t.snap(page, 'pay-publish-confirm');
  await pdlg.getByTestId('publish-confirm').click();
  const shown = page.getByTestId('publication-dialog');
  await shown.getByText('SM3').waitFor();
  const frozen = await shown.innerText();
  assert.match(frozen, /爱心助学基金会/);
  w.publication = { sm3: (frozen.match(/[0-9a-f]{64}/) || [''])[0] };
  assert.match(w.publication.sm3, /^[0-9a-f]{64}$/);
  await t.snap(page, 'pay-published');
  await settle(page);
  await fin.ctx.close();
  await co.ctx.close();

  // The public on a phone: the paid figure and the students.
  const pctx = await t.context(PHONE);
  const pub = await pctx.newPage();
  track(pub);
  await pub.goto(t.server.base + '/public/fund-use');
  const card = pub.getByTestId('fund-publication').filter({ hasText: w.publication.sm3 });
  await card.waitFor();
  await settle(pub);
  const text = await card.innerText();
  assert.match(text, new RegExp(`已发放\\s*${firstTotal.replace(/\./g, '\\.')}`));
  assert.match(text, new RegExp(`受助学生\\s*${lineCount} 人`));
  assert.match(text, /爱心助学基金会|社会捐助/);
  await t.assertFits(pub);
  await t.snap(pub, 'pay-public-fund-use-phone');
  await pctx.close();
}
