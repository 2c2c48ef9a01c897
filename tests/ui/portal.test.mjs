// The guardian portal and the public pages of issue 7 on a phone-sized screen
// (docs/web.md, "Guardian portal and public pages"), in real Chromium against
// a `zizhu demo` server (helpers in browser.mjs): the guardian logs in, sees
// the child and the application's status, its evidence, the edit form;
// withdraws and applies again with a photo as evidence; sends a feedback and
// sees it listed; the public reads the notices, objects to the other county's
// running announcement, follows the receipt, sends a feedback and follows its
// code. Public writes are rate-limited per address (10/min): this test makes
// two. Any console error, page error, failed request or 5xx fails the test;
// every page is saved as a screenshot under ZIZHU_UI_OUT.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PHONE, startBrowserTest } from './browser.mjs';

let t;
before(async () => { t = await startBrowserTest(); });
after(async () => { await t?.stop(); });

const o = () => t.server.creds.objects;
// A 1×1 PNG: the server checks the content, not the name.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('the guardian: children, the application status, evidence, feedback', async () => {
  const ctx = await t.context(PHONE);
  const page = await ctx.newPage();
  // The portal without a session: the login, then back to the portal.
  await page.goto(t.server.base + '/portal');
  await page.waitForURL(/\/login\?redirect=%2Fportal|\/login\?redirect=\/portal/);
  await t.loginHere(page, 'guardian', 'portal-children');
  await page.getByTestId('child').first().waitFor();
  assert.equal(await page.getByTestId('child').count(), o().guardian_children.length);
  const child = await page.getByTestId('child').first().innerText();
  assert.doesNotMatch(child, /\d{17}[\dXx]/, 'no full ID number');
  const app = page.getByTestId('application').first();
  await app.waitFor();
  assert.match(await app.getByTestId('application-state').innerText(), /已提交/);
  assert.match(await app.getByTestId('application-reason').innerText(), /学校/);
  await t.assertFits(page);
  await t.snap(page, 'guardian-children');

  // The application: its status, the household, the demo's evidence.
  await app.click();
  await page.waitForURL(new RegExp(`/portal/applications/${o().application_own}$`));
  await page.getByTestId('evidence-item').first().waitFor();
  assert.match(await page.getByTestId('detail-state').innerText(), /已提交/);
  assert.match(await page.getByTestId('portal-application').innerText(), /家庭年收入/);
  assert.match(await page.getByTestId('evidence').innerText(), /低保证/);
  await t.assertFits(page);
  await t.snap(page, 'guardian-application');

  // The edit form, filled from the application (not saved), and back.
  await page.getByTestId('edit').click();
  await page.getByTestId('apply-form').waitFor();
  // The form fills itself once the application has loaded: wait for it.
  await page.waitForFunction(() => document.querySelector('input[name=household_income]')?.value !== '',
    null, { timeout: 10000 });
  assert.equal(await page.locator('input[name=household_income]').inputValue(), '18600.00');
  await t.assertFits(page);
  await t.snap(page, 'guardian-edit-form');
  await page.goBack();
  await page.getByTestId('withdraw').waitFor();

  // Withdraw (after a confirmation), then apply again from 我的孩子 with the
  // household fields, then upload a photo as evidence.
  await page.getByTestId('withdraw').click();
  await page.locator('.el-message-box').getByRole('button', { name: '撤回', exact: true }).click();
  await page.getByTestId('detail-state').getByText('已撤回').waitFor();
  await t.snap(page, 'guardian-withdrawn');
  await page.getByTestId('nav-children').click();
  await page.getByTestId('apply').first().click();
  await page.getByTestId('apply-form').waitFor();
  await page.waitForLoadState('networkidle');  // the form is set up from what it loads: fill after
  await page.locator('input[name=household_income]').fill('15000.00');
  await page.getByTestId('apply-form').getByText('城乡低保家庭').click();
  await t.assertFits(page);
  await t.snap(page, 'guardian-apply-form');
  await page.getByTestId('apply-submit').click();
  await page.waitForURL(/\/portal\/applications\/\d+$/);
  await page.getByTestId('detail-state').getByText('已提交').waitFor();
  assert.match(await page.getByTestId('portal-application').innerText(), /15,000\.00 元/);
  const evidenceBefore = await page.getByTestId('evidence-item').count();
  await page.getByTestId('evidence-note').fill('户口簿照片');
  await page.getByTestId('evidence-file').setInputFiles({ name: 'hukou.png', mimeType: 'image/png', buffer: PNG });
  await page.getByTestId('evidence-submit').click();
  await page.getByTestId('evidence-item').nth(evidenceBefore).waitFor();
  assert.match(await page.getByTestId('evidence').innerText(), /户口簿照片\s*PNG/);
  await t.assertFits(page);
  await t.snap(page, 'guardian-evidence-uploaded');

  // Feedback: the demo's item is listed; send one more; it is listed with its status.
  await page.getByTestId('nav-feedback').click();
  await page.getByTestId('feedback-form').waitFor();
  await page.getByTestId('feedback-item').first().waitFor();
  const before = await page.getByTestId('feedback-item').count();
  await t.snap(page, 'guardian-feedback-form');
  const text = '希望学校在公示前告知家长评审的时间安排（界面测试）。';
  await page.getByTestId('feedback-text').fill(text);
  await page.getByTestId('feedback-submit').click();
  await page.getByTestId('feedback-done').waitFor();
  assert.match(await page.getByTestId('feedback-receipt').innerText(), /\S{4,}/);
  await page.getByTestId('feedback-item').nth(before).waitFor();
  const listed = await page.getByTestId('portal-feedback').innerText();
  assert.ok(listed.includes(text), 'the new feedback is listed');
  assert.match(listed, /待处理/);
  await t.assertFits(page);
  await t.snap(page, 'guardian-feedback-sent');

  await page.getByTestId('portal-logout').click();
  await page.getByTestId('login-form').waitFor();
  await ctx.close();
});

test('the public: notices, an objection with its receipt, a feedback with its code', async () => {
  const ctx = await t.context(PHONE);
  const page = await ctx.newPage();
  await page.goto(t.server.base + '/public/notices');
  await page.getByTestId('notice').first().waitFor();
  assert.ok(await page.getByTestId('notice').count() >= 2, 'both counties publish a notice');
  assert.match(await page.getByTestId('public-notices').innerText(), /资助申请通知/);
  await t.assertFits(page);
  await t.snap(page, 'public-notices');

  // An objection to one row of the other county's running announcement.
  const annId = o().announcement_other_county;
  await page.goto(`${t.server.base}/public/objection?announcement=${annId}`);
  await page.getByTestId('objection-form').waitFor();
  await page.getByTestId('objection-entry').click();
  await page.locator('.el-select-dropdown__item:visible').nth(1).click();  // row 1 (0 is the whole list)
  await page.getByTestId('objection-text').fill('据了解该生家庭经营商铺，收入较高，请学校核实（界面测试）。');
  await t.assertFits(page);
  await t.snap(page, 'public-objection-form');
  await page.getByTestId('objection-submit').click();
  await page.getByTestId('objection-done').waitFor();
  const receipt = (await page.getByTestId('objection-receipt').innerText()).trim();
  assert.ok(receipt.length >= 8, `a receipt (${receipt})`);
  await t.snap(page, 'public-objection-receipt');

  await page.getByTestId('objection-follow').click();
  await page.getByTestId('objection-result').waitFor();
  assert.match(await page.getByTestId('objection-state').innerText(), /\S/);
  const result = await page.getByTestId('objection-result').innerText();
  assert.match(result, /七里河区第一学校/);
  assert.match(result, /名单第 1 号/);
  assert.match(result, /尚未答复/);
  await t.assertFits(page);
  await t.snap(page, 'public-objection-status');

  // A public feedback to the own county, then its code.
  await page.goto(t.server.base + '/public/feedback');
  await page.getByTestId('public-feedback-form').waitFor();
  await page.getByTestId('public-feedback-county').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '城关区' }).click();
  await page.getByTestId('public-feedback-text').fill('建议在学校门口张贴资助政策的宣传材料（界面测试）。');
  await t.snap(page, 'public-feedback-form');
  await page.getByTestId('public-feedback-submit').click();
  await page.getByTestId('public-feedback-done').waitFor();
  const code = (await page.getByTestId('public-feedback-receipt').innerText()).trim();
  assert.match(code, /\S{6,}/);
  await page.getByRole('button', { name: '查看处理情况' }).click();
  await page.getByTestId('feedback-result').waitFor();
  assert.match(await page.getByTestId('feedback-result').innerText(), /待处理/);
  await t.assertFits(page);
  await t.snap(page, 'public-feedback-status');
  await ctx.close();
});

test('no console error, failed request or server error on any page', () => {
  assert.deepEqual(t.problems, []);
});
