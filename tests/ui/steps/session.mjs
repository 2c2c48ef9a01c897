// What every step of the year walk needs (tests/ui/steps/world.mjs): moving
// the server's clock while remembering how far it is from the real one,
// TOTP codes of the server's time (each step of 30 s used at most once per
// account, across all step modules and API clients: the server refuses a
// code twice), a page logged in as one of the demo's users, and waiting on
// Element Plus.
import { DESK } from '../browser.mjs';
import { freshTotp, user } from '../../api/harness.mjs';

// Moves the server's clock to 10:00 in China on `day` (w.on) and keeps
// w.clockOffsetMs: the server's clock runs on from the day set, and a TOTP
// code must be of the server's time.
export async function on(w, day) {
  await w.on(day);
  w.clockOffsetMs = Date.parse(`${day}T10:00:00+08:00`) - Date.now();
}

// The next unused code of the server's time (harness.mjs freshTotp: one
// record of the steps used, shared with the tests' API clients).
export function serverTotp(w, u) {
  return freshTotp(u, w.clockOffsetMs || 0);
}

// Logs `key` in through the login form `page` is on (the router sent it
// there), with the TOTP code of the server's time when the account has one,
// and waits for the page whose data-test is `landing`.
export async function loginOnServerClock(t, w, page, key, landing) {
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
}

// A new desktop context and page of `key` at `path`, logged in.
export async function openAs(t, w, key, path, landing, viewport = DESK) {
  const ctx = await t.context(viewport);
  const page = await ctx.newPage();
  await page.goto(t.server.base + path);
  await loginOnServerClock(t, w, page, key, landing);
  return { ctx, page };
}

// The table's body rows (Element Plus renders one <tr class="el-table__row"> each).
export const rowsOf = (page, table) => page.getByTestId(table).locator('tbody tr.el-table__row');

// Waits until no loading mask of the page is showing.
export async function settled(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')]
    .some((m) => m.offsetParent !== null && getComputedStyle(m).opacity !== '0'));
}

// Clicks `button` in the confirmation box and waits for it to close.
export async function confirmBox(page, button) {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.getByRole('button', { name: button }).click();
  await box.waitFor({ state: 'hidden' });
}
