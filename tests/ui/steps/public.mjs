// The year walk's public step (tests/ui/steps/world.mjs): someone on a phone
// objects to a row of the running announcement, from the public
// announcements page, and keeps the receipt. Browser only; the only API
// call is moving the clock (w.on).
//
// Reads:  w.announcement { id, rows } (review.announce)
// Adds:   w.receipt      the objection's receipt code
//         w.objectedRow  the row objected to ({ no, name, ... } of w.announcement.rows)
import assert from 'node:assert/strict';
import { PHONE } from '../browser.mjs';
import { on } from './session.mjs';

async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')]
    .some((m) => m.offsetParent !== null && getComputedStyle(m).opacity !== '0'));
}

// 2024-09-27: an objection to the first row of the school's announcement.
export async function object(t, w) {
  assert.ok(w.announcement?.id, 'review.announce ran');
  await on(w, '2024-09-27');
  const ctx = await t.context(PHONE);
  const page = await ctx.newPage();
  await page.goto(t.server.base + '/public/announcements');
  const card = page.locator(`[data-test="announcement"][data-announcement="${w.announcement.id}"]`);
  await card.waitFor();
  await settled(page);
  const shown = await card.innerText();
  const row = w.announcement.rows?.[0] || { no: 1 };
  if (row.name) assert.ok(shown.includes(row.name), `the public list shows ${row.name}`);
  assert.doesNotMatch(shown, /\d{17}[\dX]|\d{16,19}/, 'no ID or card number in public');
  await t.assertFits(page);
  await t.snap(page, 'public-announcements-phone');

  await card.getByTestId('announcement-object').click();
  await page.getByTestId('objection-form').waitFor();
  await settled(page);
  assert.equal(new URL(page.url()).searchParams.get('announcement'), String(w.announcement.id));
  await page.getByTestId('objection-entry').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: `${row.no}. ` }).first().click();
  assert.match(await page.getByTestId('objection-entry').innerText(), new RegExp(`^\\s*${row.no}\\. `));
  await page.getByTestId('objection-text').fill('据了解该生家里去年新买了小汽车，请学校核实家庭经济情况。');
  await t.assertFits(page);
  await t.snap(page, 'public-objection-form-phone');
  await page.getByTestId('objection-submit').click();
  await page.getByTestId('objection-done').waitFor();
  w.receipt = (await page.getByTestId('objection-receipt').innerText()).trim();
  assert.ok(w.receipt.length >= 8, `a receipt (${w.receipt})`);
  w.objectedRow = row;
  await t.snap(page, 'public-objection-receipt-phone');

  await page.getByTestId('objection-follow').click();
  await page.getByTestId('objection-result').waitFor();
  await settled(page);
  const result = await page.getByTestId('objection-result').innerText();
  assert.match(result, new RegExp(`名单第 ${row.no} 号`));
  assert.match(result, /尚未答复/);
  await t.assertFits(page);
  await t.snap(page, 'public-objection-status-phone');
  await ctx.close();
}
