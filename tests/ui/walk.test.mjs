// The web front end in real Chromium (docs/web.md): Debian's /usr/bin/chromium,
// headless, driven by playwright-core (no browser download), against a real
// `zizhu demo` server on a temporary database (tests/api/harness.mjs) that
// serves the built web/dist. The walk of this slice: the public pages on a
// phone-sized screen; finance prepares a term-1 batch for last year's
// approved list; the county officer approves it after the confirmation that
// shows the file's SM3; finance downloads the bank file and imports the
// bank's return with one line failed; the dashboard's chart; the public
// fund-use page. Any console error, page error, failed request or 5xx answer
// fails the test; every page visited is saved as a screenshot under
// ZIZHU_UI_OUT (default build/ui-screenshots).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, selectors } from 'playwright-core';
import { Client, freshTotp, startServer, user } from '../api/harness.mjs';
import { settle, track } from './browser.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = process.env.ZIZHU_WEB_DIST || join(ROOT, 'web/dist');
const OUT = process.env.ZIZHU_UI_OUT || join(ROOT, 'build/ui-screenshots');
const CHROMIUM = process.env.ZIZHU_CHROMIUM || '/usr/bin/chromium';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESK = { viewport: { width: 1440, height: 900 } };

let server;
let browser;
const problems = [];
let shot = 0;

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), `${DIST}/index.html is missing: run scripts/install.sh (it builds web/dist)`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/install.sh (Debian's chromium package)`);
  rmSync(OUT, { recursive: true, force: true });  // this run's pictures only
  mkdirSync(OUT, { recursive: true });
  selectors.setTestIdAttribute('data-test');
  server = await startServer(['--static', DIST]);
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    // root in a container: Chromium's sandbox needs user namespaces it may not have.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A browser context whose pages report every console error, uncaught error,
// failed request and server error into `problems`.
async function context(options) {
  const ctx = await browser.newContext({ ...options, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  ctx.on('page', watch);
  return ctx;
}
function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A download link: Chromium hands the response to the download manager
    // and reports the navigation as aborted; the download itself is checked.
    if (/\/payment-batches\/\d+\/file/.test(r.url()) && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`); });
}
async function newPage(ctx) { const page = await ctx.newPage(); track(page); return page; }

async function snap(page, name) {
  await page.waitForLoadState('networkidle');
  // Loading masks gone: the picture is of the loaded page.
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')]
    .some((m) => m.offsetParent !== null && getComputedStyle(m).opacity !== '0'));
  // Element Plus fades dialogs in and out: the picture is of the end state.
  await page.screenshot({ path: join(OUT, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true, animations: 'disabled' });
}

async function login(page, key) {
  const u = user(server, key);
  await page.goto(server.base + '/login');
  await page.locator('input[name=username]').fill(u.username);
  await page.locator('input[name=password]').fill(u.password);
  await page.getByTestId('login-submit').click();
  if (u.totp_secret) {
    await page.getByTestId('totp-form').waitFor();
    await page.locator('input[name=code]').fill(await freshTotp(u));
    await page.getByTestId('totp-submit').click();
  }
  await page.getByTestId('dashboard').waitFor();
  await page.getByTestId('user').getByText(u.display_name || u.username).waitFor().catch(() => {});
  await settle(page);  // the dashboard's reads, before the next page
}

async function logout(page) {
  await settle(page);
  await page.getByTestId('user').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
}

const o = () => server.creds.objects;

test('public pages on a phone without logging in', async () => {
  const ctx = await context(PHONE);
  const page = await newPage(ctx);
  await page.goto(server.base + '/public/announcements');
  await page.getByTestId('announcement').first().waitFor();
  assert.ok(await page.getByTestId('announcement').count() >= 1, 'the demo has a running announcement');
  const text = await page.getByTestId('public-announcements').innerText();
  assert.match(text, /公示期/);
  assert.doesNotMatch(text, /\d{17}[\dXx]/, 'no ID numbers in public');
  await snap(page, 'public-announcements-phone');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the public page fits a phone (scroll width ${width})`);
  await ctx.close();
});

test('finance prepares, the county officer approves on the digest, finance pays and imports the return', async () => {
  const cycle = o().cycle_past_own;
  // Money into the county's dedicated account and the school's allocation:
  // the receipt and allocation pages are not in this slice, so through the
  // API (as tests/api/year.test.mjs does); approval draws on them.
  const api = new Client(server.base);
  await api.login(user(server, 'finance'));
  const receipt = await api.post('/api/v1/funds/receipts',
    { transfer_id: 701, source: 'central', amount: '8000.00', budget_doc: '财教〔2025〕60号', cycle_id: cycle });
  assert.equal(receipt.status, 200, receipt.text);
  const alloc = await api.post('/api/v1/funds/allocations',
    { transfer_id: 702, school_code: o().school_own, amount: '8000.00', cycle_id: cycle });
  assert.equal(alloc.status, 200, alloc.text);
  const cycleInfo = (await api.get(`/api/v1/cycles/${cycle}`)).data;

  const ctx = await context(DESK);
  const page = await newPage(ctx);
  // A staff page without a session goes to the login.
  await page.goto(server.base + '/funds/batches');
  await page.getByTestId('login-form').waitFor();
  await snap(page, 'login');
  await login(page, 'finance');
  await snap(page, 'finance-dashboard');
  const menu = await page.getByTestId('sidebar').innerText();
  assert.match(menu, /资金管理/);

  // The menu: 资金管理 → 付款批次; the past cycle in the picker.
  await page.getByTestId('sidebar').getByText('资金管理').click();
  await page.getByTestId('sidebar').getByText('付款批次').click();
  await page.getByTestId('batches').waitFor();
  await page.getByTestId('cycle-picker').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: cycleInfo.name }).click();
  await page.waitForURL(new RegExp(`cycle=${cycle}`));
  await page.getByTestId('batch-table').getByText('这个周期还没有付款批次').waitFor();
  await snap(page, 'finance-batches-empty');

  await page.getByTestId('prepare').click();
  await page.getByTestId('prepare-dialog').getByText('第一学期').waitFor();
  await snap(page, 'finance-prepare-dialog');
  await page.getByTestId('prepare-submit').click();
  await page.waitForURL(/\/funds\/batches\/\d+$/);
  const batchId = page.url().match(/\/funds\/batches\/(\d+)$/)[1];
  await page.getByTestId('digest').waitFor();
  const digest = (await page.getByTestId('digest').innerText()).trim();
  assert.match(digest, /^[0-9a-f]{64}$/);
  const lineCount = Number(await page.getByTestId('line-count').innerText());
  assert.ok(lineCount >= 1);
  assert.match(await page.getByTestId('batch-state').innerText(), /待审批/);
  assert.match(await page.getByTestId('schools').innerText(), /合计/);
  await snap(page, 'finance-batch-prepared');
  // Finance prepared it: the server refuses finance's approval, so approval
  // is the county officer's.
  await logout(page);
  await snap(page, 'logged-out');

  // The county officer: the batch, the confirmation with total, count, risks and digest.
  await login(page, 'county_officer');
  await page.getByTestId('sidebar').getByText('资金管理').click();
  assert.match(await page.getByTestId('sidebar').innerText(), /资金账户\s*付款批次/);
  await page.getByTestId('sidebar').getByText('付款批次').click();
  await page.getByTestId('cycle-picker').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: cycleInfo.name }).click();
  await page.getByTestId('batch-table').locator('.el-table__row').first().waitFor();
  assert.equal(await page.getByTestId('prepare').count(), 0, 'only finance prepares');
  await snap(page, 'county-batches');
  await page.getByTestId('batch-table').locator('.el-table__row').first().click();
  await page.getByTestId('approve').click();
  const dialog = page.getByTestId('approve-dialog');
  await dialog.getByTestId('approve-digest').waitFor();
  assert.equal((await dialog.getByTestId('approve-digest').innerText()).trim(), digest, 'the approver sees the digest');
  const dialogText = await dialog.innerText();
  assert.match(dialogText, /总金额/);
  assert.match(dialogText, /风险提示/);
  assert.match(dialogText, new RegExp(`笔数\\s*${lineCount}`));
  await snap(page, 'county-approve-confirm');
  await page.getByTestId('approve-confirm').click();
  await page.getByTestId('batch-state').getByText('已审批').waitFor();
  assert.equal(await page.getByTestId('download-csv').count(), 0, 'finance hands the file to the bank');
  await snap(page, 'county-batch-approved');
  await logout(page);

  // Finance again: the bank file, then the bank's return with one failure.
  await login(page, 'finance');
  await page.goto(`${server.base}/funds/batches/${batchId}`);
  await page.getByTestId('download-csv').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(download.suggestedFilename(), /\.csv$/);
  assert.match(csv, /合计/);
  const lineNos = [...new Set(csv.match(/\d{6}-C\d+-T\d-B\d+-\d{5}/g))];
  assert.equal(lineNos.length, lineCount, 'one line number per payment line in the file');
  await snap(page, 'finance-batch-download');

  const rows = lineNos.map((no, i) => (i === 0 ? `${no},失败,账户已销户,,2025-10-20` : `${no},成功,,B${i},2025-10-20`));
  const returnFile = ['明细流水号,状态,失败原因,银行流水号,处理日期', ...rows].join('\r\n') + '\r\n';
  await page.getByTestId('open-return').click();
  await page.getByTestId('return-file').setInputFiles({ name: 'huipan.csv', mimeType: 'text/csv', buffer: Buffer.from(returnFile, 'utf8') });
  await page.getByTestId('return-submit').click();
  await page.getByTestId('return-result').waitFor();
  assert.equal(await page.getByTestId('matched-success').innerText(), String(lineCount - 1));
  assert.equal(await page.getByTestId('matched-failure').innerText(), '1');
  await snap(page, 'finance-return-imported');
  await page.getByTestId('return-dialog').getByRole('button', { name: '关闭', exact: true }).click();
  await page.getByTestId('batch-state').getByText('已结清').waitFor();
  assert.match(await page.getByTestId('lines').innerText(), /账户已销户/);
  await snap(page, 'finance-batch-settled');

  // The dashboard's chart of the cycle's payment progress.
  await page.getByTestId('sidebar').getByText('首页').click();
  await page.getByTestId('dashboard').waitFor();
  await page.getByTestId('cycle-picker').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: cycleInfo.name }).click();
  await page.getByTestId('chart-progress').locator('canvas').waitFor();
  await page.waitForTimeout(1500);  // ECharts draws its bars in over a second
  await snap(page, 'finance-dashboard-chart');

  await page.getByTestId('sidebar').getByText('资金账户').click();
  await page.getByTestId('accounts').locator('.el-table__row').first().waitFor();
  assert.match(await page.getByTestId('accounts').innerText(), /城关区第一学校/);
  await snap(page, 'finance-accounts');
  await ctx.close();
});

test('the public fund-use page on a phone', async () => {
  const ctx = await context(PHONE);
  const page = await newPage(ctx);
  await page.goto(server.base + '/public/fund-use');
  await page.getByTestId('fund-publication').first().waitFor();
  const text = await page.getByTestId('public-fund-use').innerText();
  assert.match(text, /SM3/);
  assert.match(text, /兰州市慈善总会|各校受助情况/);
  await snap(page, 'public-fund-use-phone');
  await ctx.close();
});

test('no console error, failed request or server error on any page', () => {
  assert.deepEqual(problems, []);
});
