// The staff shell (docs/web.md, "The shell on a phone; changing the
// password") in real Chromium against the demo: (a) a staff user changes the
// password from the top bar's user menu — the rules shown before typing, a
// wrong current password and a common new one refused under their fields, a
// good one accepted; this session stays, another session of the same user
// ends (as the dialog says), the change is in the audit log; then logout and
// login with the new password. (b) On a 390 x 844 phone the sidebar is a
// drawer opened from the top bar, closed after each choice, and no page of
// the shell scrolls sideways. Any console error, page error, failed request
// or 5xx fails the test; every step is saved as a screenshot.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, freshTotp, user } from '../api/harness.mjs';
import { DESK, PHONE, startBrowserTest, unexcusedProblems } from './browser.mjs';

let t;
before(async () => { t = await startBrowserTest(); });
after(async () => { await t?.stop(); });

// Refusals a test provokes on purpose: Chromium logs each as a console error
// ("Failed to load resource"). Each {page, status} is excused once and must
// have happened; the test's other problems are returned (and taken out of
// t.problems, so that the next test starts clean).
function unexcused(provoked) { return unexcusedProblems(t.problems.splice(0), provoked); }

// The error Element Plus shows under one form item of the dialog.
const errorUnder = (page, item) => page.getByTestId(item).locator('.el-form-item__error');

async function fillDialog(page, old, next, repeat = next) {
  await page.locator('input[data-test=pw-old]').fill(old);
  await page.locator('input[data-test=pw-new]').fill(next);
  await page.locator('input[data-test=pw-repeat]').fill(repeat);
  await page.getByTestId('password-submit').click();
}

test('password change from the user menu: rules, errors under their fields, other sessions end, login with the new one', async () => {
  const u = user(t.server, 'finance');
  // Another session of the same user (another browser): it must end.
  const other = new Client(t.server.base);
  await other.login(u);
  assert.equal((await other.get('/api/v1/auth/me')).status, 200);

  const ctx = await t.context(DESK);
  const page = await ctx.newPage();
  await page.goto(t.server.base + '/login');
  await t.loginHere(page, 'finance');

  await page.getByTestId('user').click();
  await page.getByTestId('change-password').click();
  const dialog = page.getByTestId('password-dialog');
  await dialog.waitFor();
  // The rules before anything is typed, and what the change does to other sessions.
  const rules = await page.getByTestId('password-rules').innerText();
  assert.match(rules, /至少 12 个字符/);
  assert.match(rules, /不能包含用户名/);
  assert.match(rules, /其他设备上的登录将全部退出/);
  await t.snap(page, 'password-dialog');

  // The repeat is checked in the browser.
  await fillDialog(page, u.password, 'Lanzhou-river-1987', 'Lanzhou-river-1988');
  assert.equal(await errorUnder(page, 'pw-repeat-item').innerText(), '两次输入的新密码不一致');
  // A wrong current password: the server's message under the current password.
  await fillDialog(page, u.password + 'x', 'Lanzhou-river-1987');
  await errorUnder(page, 'pw-old-item').waitFor();
  assert.equal(await errorUnder(page, 'pw-old-item').innerText(), '原密码不正确');
  assert.equal(await errorUnder(page, 'pw-new-item').count(), 0, 'nothing said about the new password');
  // A common password long enough for the browser's check: the server refuses it under the new password.
  await fillDialog(page, u.password, 'password1234');
  await errorUnder(page, 'pw-new-item').waitFor();
  assert.match(await errorUnder(page, 'pw-new-item').innerText(), /过于常见/);
  // The current password was right: its earlier message goes (Element Plus
  // fades it out, so it leaves the page a moment after the new one shows).
  await errorUnder(page, 'pw-old-item').waitFor({ state: 'detached', timeout: 5000 });
  await t.snap(page, 'password-weak');
  // The old password still works: nothing was changed by the refusals.
  const probe = await new Client(t.server.base).post('/api/v1/auth/login', { username: u.username, password: u.password });
  assert.equal(probe.status, 200, probe.text);

  const fresh = `黄河铁桥-Shell-${Date.now() % 100000}`;
  await fillDialog(page, u.password, fresh);
  await page.getByTestId('password-done').waitFor();
  assert.match(await page.getByTestId('password-done').innerText(), /本设备保持登录[\s\S]*其他设备或浏览器上的登录已全部退出/);
  await t.snap(page, 'password-changed');
  await page.getByTestId('password-close').click();
  await dialog.waitFor({ state: 'hidden' });

  // This session goes on; the other one is over.
  await page.getByTestId('sidebar').getByText('资金管理').click();
  await page.getByTestId('sidebar').getByText('付款批次').click();
  await page.getByTestId('batches').waitFor();
  await t.settle(page);
  const gone = await other.get('/api/v1/auth/me');
  assert.equal(gone.status, 401, gone.text);
  // Audited.
  const auditor = new Client(t.server.base);
  await auditor.login(user(t.server, 'auditor'));
  const audit = await auditor.get(`/api/v1/audit?action=auth.password_change&username=${u.username}`);
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.data.items.length >= 1, 'the password change is in the audit log');

  // Logout, then the old password is refused and the new one works.
  await page.getByTestId('user').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  await page.locator('input[name=username]').fill(u.username);
  await page.locator('input[name=password]').fill(u.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-form').getByText('用户名或密码错误').waitFor();
  await page.locator('input[name=password]').fill(fresh);
  await page.getByTestId('login-submit').click();
  if (u.totp_secret) {
    await page.getByTestId('totp-form').waitFor();
    await page.locator('input[name=code]').fill(await freshTotp(u));
    await page.getByTestId('totp-submit').click();
  }
  await page.getByTestId('dashboard').waitFor();
  await t.settle(page);
  await t.snap(page, 'login-new-password');
  await ctx.close();
  assert.deepEqual(unexcused([
    { page: /\/dashboard$/, status: 401 },  // the wrong current password
    { page: /\/dashboard$/, status: 422 },  // the common new password
    { page: /\/login$/, status: 401 },      // the old password after the change
  ]), []);
});

// Opens `item` (under `group`, if any) from the drawer and waits for the page.
async function viaDrawer(page, group, item, landing) {
  await page.getByTestId('menu-button').click();
  const bar = page.getByTestId('sidebar');
  await bar.waitFor();
  if (group && !(await bar.getByText(item, { exact: true }).isVisible())) await bar.getByText(group, { exact: true }).click();
  await bar.getByText(item, { exact: true }).click();
  await page.getByTestId(landing).waitFor();
  // The drawer closes once a page is chosen.
  await page.getByTestId('nav-drawer').waitFor({ state: 'hidden' });
  await t.settle(page);
}

async function fitsPhone(page, name) {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    topbar: document.querySelector('.topbar').getBoundingClientRect().right,
    main: document.querySelector('.main').getBoundingClientRect(),
  }));
  assert.ok(m.scroll <= m.inner, `${name}: the page does not scroll sideways (scroll width ${m.scroll}, window ${m.inner})`);
  assert.ok(m.topbar <= m.inner, `${name}: the top bar fits (right edge ${m.topbar})`);
  // The page content has the full width: no sidebar beside it.
  assert.equal(Math.round(m.main.left), 0, `${name}: the content starts at the left edge`);
  assert.equal(Math.round(m.main.width), m.inner, `${name}: the content is as wide as the screen`);
  await t.snap(page, `phone-${name}`);
}

test('phone: the sidebar is a drawer, no staff page scrolls sideways', async () => {
  const ctx = await t.context(PHONE);
  const page = await ctx.newPage();
  await page.goto(t.server.base + '/login');
  await t.loginHere(page, 'county_officer');
  assert.equal(await page.getByTestId('sidebar').count(), 0, 'no sidebar beside the page on a phone');
  await fitsPhone(page, 'dashboard');

  await page.getByTestId('menu-button').click();
  await page.getByTestId('nav-drawer').waitFor();
  await t.snap(page, 'phone-drawer');
  await page.keyboard.press('Escape');
  await page.getByTestId('nav-drawer').waitFor({ state: 'hidden' });

  await viaDrawer(page, '资助周期', '周期与政策', 'cycles');
  await fitsPhone(page, 'cycles');
  await viaDrawer(page, '资金管理', '付款批次', 'batches');
  await fitsPhone(page, 'batches');
  await viaDrawer(page, '资金管理', '资金账户', 'accounts');
  await fitsPhone(page, 'accounts');
  await viaDrawer(page, '资金管理', '资金公示与审计', 'fund-reports');
  await fitsPhone(page, 'fund-reports');
  await viaDrawer(page, '资助周期', '资格认定', 'identification');
  await fitsPhone(page, 'identification');
  await viaDrawer(page, null, '首页', 'dashboard');
  await fitsPhone(page, 'dashboard-again');
  // The tabs of the pages opened stay on one line and scroll within their bar.
  const tags = await page.getByTestId('tags').evaluate((e) => {
    const bar = e.getBoundingClientRect();
    const each = [...e.querySelectorAll('.el-tag')].map((x) => x.getBoundingClientRect());
    return {
      right: bar.right, scroll: e.scrollWidth, client: e.clientWidth, count: each.length,
      tops: new Set(each.map((r) => Math.round(r.top))).size,
      inside: each.every((r) => r.top >= bar.top && r.bottom <= bar.bottom),
    };
  });
  assert.equal(tags.count, 6);
  assert.ok(tags.right <= 390, `the tabs bar fits (right edge ${tags.right})`);
  assert.ok(tags.scroll > tags.client, `six tabs are wider than a phone: the bar scrolls (${tags.scroll} > ${tags.client})`);
  assert.equal(tags.tops, 1, 'the tabs are on one line');
  assert.ok(tags.inside, 'the tabs are whole, not cut by their bar');
  // The user menu holds the password change on a phone too.
  await page.getByTestId('user').click();
  await page.getByTestId('change-password').click();
  await page.getByTestId('password-dialog').waitFor();
  const box = await page.locator('.el-dialog').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the password dialog fits the phone (${box.x}, ${box.width})`);
  await fitsPhone(page, 'password-dialog');
  await page.getByRole('button', { name: '取消' }).click();
  await page.getByTestId('password-dialog').waitFor({ state: 'hidden' });
  await page.getByTestId('user').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();

  await t.loginHere(page, 'sysadmin');
  await viaDrawer(page, '系统管理', '用户管理', 'admin-users');
  await page.getByTestId('users-table').locator('tbody tr.el-table__row').first().waitFor();
  await fitsPhone(page, 'users');
  await ctx.close();
  assert.deepEqual(unexcused([]), []);
});

test('guardian portal: the password change is in its header', async () => {
  const ctx = await t.context(PHONE);
  const page = await ctx.newPage();
  await page.goto(t.server.base + '/login');
  await t.loginHere(page, 'guardian', 'portal');
  await page.getByTestId('portal-password').click();
  await page.getByTestId('password-rules').waitFor();
  await t.assertFits(page);
  await t.snap(page, 'portal-password');
  // A wrong current password is refused under its field here too.
  await fillDialog(page, 'not-the-password', 'Lanzhou-river-1987');
  await errorUnder(page, 'pw-old-item').waitFor();
  assert.equal(await errorUnder(page, 'pw-old-item').innerText(), '原密码不正确');
  await ctx.close();
  assert.deepEqual(unexcused([{ page: /\/portal$/, status: 401 }]), []);
});
