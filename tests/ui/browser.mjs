// Shared helpers of the browser tests (docs/web.md): a headless Debian
// chromium through playwright-core against a `zizhu demo` server
// (tests/api/harness.mjs) that serves web/dist; contexts whose pages report
// every console error, page error, failed request and 5xx answer into
// `problems`; full-page screenshots under ZIZHU_UI_OUT; the login form.
// (walk.test.mjs keeps its own copies of these; new tests import this.)
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, selectors } from 'playwright-core';
import { freshTotp, startServer, user } from '../api/harness.mjs';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const DIST = process.env.ZIZHU_WEB_DIST || join(ROOT, 'web/dist');
export const CHROMIUM = process.env.ZIZHU_CHROMIUM || '/usr/bin/chromium';
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESK = { viewport: { width: 1440, height: 900 } };

// Requests in flight per page: Playwright's 'networkidle' is reached once
// per document, so it does not wait for a single-page app's reads after a
// click; a navigation (or closing the context) while a read is in flight
// aborts it, which the problem watch rightly reports. Every page of a
// startBrowserTest context is tracked; track() is for pages made otherwise.
const inflight = new WeakMap();
export function track(page) {
  if (inflight.has(page)) return;
  inflight.set(page, 0);
  const done = () => inflight.set(page, inflight.get(page) - 1);
  page.on('request', () => inflight.set(page, inflight.get(page) + 1));
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}
// Waits until the page has had no request in flight for half a second.
export async function settle(page) {
  const deadline = Date.now() + 30000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if ((inflight.get(page) ?? 0) > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 500) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${page.url()}: requests still in flight after 30 s`);
}

// Starts the server and the browser. `out` is the screenshot folder (emptied).
// `allowFailure(request)` may excuse a failed request (e.g. a download link).
export async function startBrowserTest({ out, serverArgs = [], allowFailure = () => false } = {}) {
  const OUT = out || process.env.ZIZHU_UI_OUT || join(ROOT, 'build/ui-screenshots');
  assert.ok(existsSync(join(DIST, 'index.html')), `${DIST}/index.html is missing: run scripts/install.sh (it builds web/dist)`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/install.sh (Debian's chromium package)`);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  selectors.setTestIdAttribute('data-test');
  const server = await startServer(['--static', DIST, ...serverArgs]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const problems = [];
  let shot = 0;

  function watch(page) {
    track(page);
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
    page.on('requestfailed', (r) => {
      if (allowFailure(r)) return;
      problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`); });
  }

  const t = {
    server, browser, problems, out: OUT,
    async context(options) {
      const ctx = await browser.newContext({ ...options, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
      ctx.on('page', watch);
      return ctx;
    },
    async snap(page, name) {
      await page.waitForLoadState('networkidle');
      await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')]
        .some((m) => m.offsetParent !== null && getComputedStyle(m).opacity !== '0'));
      // Toasts (el-message) would float over the middle of a full-page picture.
      await page.screenshot({ path: join(OUT, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true, animations: 'disabled',
        style: '.el-message { display: none !important; }' });
    },
    settle,
    // Fills the login form the page is on (it may have been sent there by the
    // router), passes TOTP when the account has it, and waits for `landing`.
    async loginHere(page, key, landing = 'dashboard') {
      const u = user(server, key);
      await page.getByTestId('login-form').waitFor();
      await page.locator('input[name=username]').fill(u.username);
      await page.locator('input[name=password]').fill(u.password);
      await page.getByTestId('login-submit').click();
      if (u.totp_secret) {
        await page.getByTestId('totp-form').waitFor();
        await page.locator('input[name=code]').fill(await freshTotp(u));
        await page.getByTestId('totp-submit').click();
      }
      await page.getByTestId(landing).waitFor();
      await settle(page);  // the landing page's reads, before the next step
    },
    // The page fits the phone: nothing scrolls sideways.
    async assertFits(page, width = 390) {
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(w <= width, `${page.url()} fits a ${width}px screen (scroll width ${w})`);
    },
    async stop() {
      await browser?.close();
      await server?.stop();
    },
  };
  return t;
}

// The refusals (4xx) a test provokes on purpose, which Chromium logs as
// console errors: each `{ page (or pageUrl): RegExp, status }` excuses one
// such problem on a matching page and must have happened. The problems left.
export function unexcusedProblems(problems, provoked) {
  const left = [...problems];
  for (const p of provoked ?? []) {
    const page = p.page ?? p.pageUrl;
    const i = left.findIndex((x) => {
      const m = x.match(/^console error on (\S+): Failed to load resource: .* status of (\d+)/);
      return m && page.test(m[1]) && Number(m[2]) === p.status;
    });
    assert.ok(i >= 0, `the provoked ${p.status} on ${page} happened`);
    left.splice(i, 1);
  }
  return left;
}
