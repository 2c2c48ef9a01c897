// The year walk's guardian steps (tests/ui/steps/world.mjs), on a phone
// (390×844), driving the browser only; the only API call is moving the
// clock (w.on).
//
// Reads:  w.cycle, w.objects.guardian_children, w.funded (optional: the
//         funded student ids, to know which result to expect),
//         w.clockOffsetMs (kept up to date here as in steps/review.mjs).
// Adds:   w.application   the guardian's application id
//         w.guardianSaw   { result, reason, level } as 申请详情 showed it
//                         after the announcement (seeDecision)
import assert from 'node:assert/strict';
import { PHONE } from '../browser.mjs';
import { user } from '../../api/harness.mjs';
import { on, serverTotp } from './session.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

// The guardian's portal on a phone, logged in through the form the router
// sends an anonymous visitor to (a TOTP code of the server's time if the
// account has one).
async function openPortal(t, w, path = '/portal', landing = 'portal-children') {
  const ctx = await t.context(PHONE);
  const page = await ctx.newPage();
  await page.goto(t.server.base + path);
  const u = user(t.server, 'guardian');
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
  return { ctx, page };
}

async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')]
    .some((m) => m.offsetParent !== null && getComputedStyle(m).opacity !== '0'));
}

// 2024-09-03: the guardian applies for the first child in the open cycle,
// from 我的孩子, and adds a photo of the 低保证 as evidence.
export async function apply(t, w) {
  await on(w, '2024-09-03');
  const childId = w.objects.guardian_children[0];
  const { ctx, page } = await openPortal(t, w);
  const card = page.locator(`[data-test="child"][data-student="${childId}"]`);
  await card.getByTestId('apply').waitFor();
  await settled(page);
  await t.assertFits(page);
  await t.snap(page, 'guardian-children-open-cycle');
  await card.getByTestId('apply').click();
  await page.getByTestId('apply-form').waitFor();
  await settled(page);  // the form is set up from what it loads: fill after
  await page.locator('input[name=household_income]').fill('9000.00');
  await page.locator('.sw', { hasText: '家中有人患重大疾病' }).locator('.el-switch').click();
  await t.assertFits(page);
  await t.snap(page, 'guardian-apply-form');
  await page.getByTestId('apply-submit').click();
  await page.waitForURL(/\/portal\/applications\/\d+$/);
  await page.getByTestId('detail-state').getByText('已提交').waitFor();
  w.application = Number(page.url().match(/\/portal\/applications\/(\d+)$/)[1]);
  const detail = await page.getByTestId('portal-application').innerText();
  assert.match(detail, /9,000\.00 元/);
  assert.match(detail, /重大疾病/);
  // Before the school's announcement the result says only that it is reviewing.
  await page.getByTestId('outcome-pending').waitFor();
  assert.match(await page.getByTestId('outcome-result').innerText(), /学校评审中/);

  await page.getByTestId('evidence-note').fill('低保证照片');
  await page.getByTestId('evidence-file').setInputFiles({ name: 'dibao.png', mimeType: 'image/png', buffer: PNG });
  await page.getByTestId('evidence-submit').click();
  await page.getByTestId('evidence-item').first().waitFor();
  assert.match(await page.getByTestId('evidence').innerText(), /低保证照片\s*PNG/);
  await t.assertFits(page);
  await t.snap(page, 'guardian-applied-with-evidence');

  // 我的孩子 lists it, with no second apply button for that child.
  await page.getByTestId('nav-children').click();
  await card.getByTestId('application').first().waitFor();
  await settled(page);
  assert.match(await card.getByTestId('application-state').first().innerText(), /已提交/);
  assert.equal(await card.getByTestId('apply').count(), 0, 'one application per child and cycle');
  await page.getByTestId('portal-logout').click();
  await page.getByTestId('login-form').waitFor();
  await ctx.close();
}

// While the school's announcement runs (after review.announce; the clock is
// not moved): the guardian sees the decision, its level and amount, and the
// school's reason, and can go to the objection form with the announcement
// chosen.
export async function seeDecision(t, w) {
  assert.ok(w.application, 'apply ran');
  const { ctx, page } = await openPortal(t, w, `/portal/applications/${w.application}`, 'portal-application');
  const outcome = page.getByTestId('outcome');
  await outcome.getByTestId('outcome-reason').waitFor();
  await settled(page);
  const result = (await outcome.getByTestId('outcome-result').innerText()).trim();
  const funded = (w.funded || []).includes(w.objects.guardian_children[0]);
  assert.match(result, funded ? /获得资助/ : /未获资助/);
  const reason = (await outcome.getByTestId('outcome-reason').innerText()).trim();
  assert.ok(reason.length > 0, 'the school\'s reason is shown');
  const text = await outcome.innerText();
  if (funded) assert.match(text, /每年资助金额\s*[\d,]+\.\d\d 元/);
  assert.match(text, /公示日期\s*\d{4}-\d\d-\d\d/);
  await t.assertFits(page);
  await t.snap(page, 'guardian-decision');
  w.guardianSaw = { result, reason };

  // 我的孩子 shows the result in one line.
  await page.getByTestId('nav-children').click();
  const line = page.getByTestId('application-outcome').first();
  await line.waitFor();
  assert.ok((await line.innerText()).includes(result));
  await t.snap(page, 'guardian-children-decided');

  // The objection form, from the decision, with the school's announcement chosen.
  await page.goBack();
  await page.getByTestId('outcome-object').click();
  await page.getByTestId('objection-form').waitFor();
  // The select shows the announcement's label once the list has loaded (it
  // shows the bare id until then): wait for the label, do not read early.
  await page.getByTestId('objection-announcement').filter({ hasText: /\d{4}-\d{4} 学年/ }).waitFor();
  await settled(page);
  await t.assertFits(page);
  await t.snap(page, 'guardian-objection-form');
  await ctx.close();
}
