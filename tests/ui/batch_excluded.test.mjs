// The batch page's list of students the term still owes and no batch holds
// (docs/payments.md "Who is still owed"), in real Chromium on a phone: the
// county officer opens a prepared batch and reads who was left out and what
// to do; on a desktop enters a missing card from the list and sees the
// student turn from "no card" to "not in any batch" (the list is read live);
// finance is offered to prepare the next batch. The list fits the phone's
// width (the staff layout itself does not yet: side menu open, top bar
// 545 px). Console errors, failed requests and 5xx fail the test.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, user } from '../api/harness.mjs';
import { DESK, PHONE, ROOT, startBrowserTest } from './browser.mjs';

let t;
before(async () => {
  t = await startBrowserTest({ out: process.env.ZIZHU_UI_OUT || join(ROOT, 'build/ui-screenshots/batch_excluded') });
});
after(() => t?.stop());

test('who a batch left out stays visible, with what to do, on a phone', async () => {
  const o = t.server.creds.objects;
  // The list's card within a 390 px screen: read on a phone, no sideways scroll.
  const fits = async (locator) => {
    const b = await locator.boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 390, `the list fits the phone (${JSON.stringify(b)})`);
  };
  const fin = new Client(t.server.base);
  await fin.login(user(t.server, 'finance'));
  const prepared = await fin.post(`/api/v1/cycles/${o.cycle_past_own}/payment-batches`, { term: 1 });
  assert.equal(prepared.status, 200, prepared.text);
  const noCard = prepared.data.excluded.find((e) => e.reason_code === 'no_card');
  assert.ok(noCard, 'the demo leaves a funded pupil without a card');

  const phone = await t.context(PHONE);
  const page = await phone.newPage();
  await page.goto(t.server.base + '/login');
  await t.loginHere(page, 'county_officer');
  await page.goto(`${t.server.base}/funds/batches/${prepared.data.id}`);
  const box = page.getByTestId('excluded');
  await box.waitFor();
  await t.settle(page);
  assert.match(await box.innerText(), new RegExp(`本学期仍待付款、未纳入任何批次的学生（${prepared.data.excluded.length} 人）`));
  assert.match(await page.getByTestId('excluded-help').innerText(), /再由财务制作一个新批次/);
  const table = page.getByTestId('excluded-table');
  for (const e of prepared.data.excluded) assert.match(await table.innerText(), new RegExp(e.name));
  await fits(box);
  await t.snap(page, 'phone-batch-excluded');
  await phone.close();

  // On a desktop, the missing card entered from the list: the row now says
  // "in no batch". (Done on the desktop: on a phone the staff layout keeps
  // its side menu open and the confirmation box is not clickable.)
  const officer = await t.context(DESK);
  const op = await officer.newPage();
  await op.goto(t.server.base + '/login');
  await t.loginHere(op, 'county_officer');
  await op.goto(`${t.server.base}/funds/batches/${prepared.data.id}`);
  const row = op.getByTestId('excluded-table').locator('.el-table__row', { hasText: noCard.name });
  await row.getByTestId('excluded-card').click();
  const dialog = op.getByTestId('card-dialog');
  await dialog.getByTestId('card-number').fill('6222020200177770003');
  await dialog.getByTestId('card-reason').fill('学校补录监护人银行卡');
  await t.snap(op, 'desk-excluded-card');
  await dialog.getByTestId('card-submit').click();
  await op.locator('.el-message-box').getByRole('button', { name: '确认修改' }).click();
  await row.getByText('尚未纳入任何批次').waitFor();
  assert.equal(await row.getByTestId('excluded-card').count(), 0, 'no card to enter any more');
  await t.snap(op, 'desk-excluded-after-card');
  await officer.close();

  // Finance is offered the next batch.
  const desk = await t.context(DESK);
  const dp = await desk.newPage();
  await dp.goto(t.server.base + '/login');
  await t.loginHere(dp, 'finance');
  await dp.goto(`${t.server.base}/funds/batches/${prepared.data.id}`);
  await dp.getByTestId('prepare-next').waitFor();
  await t.snap(dp, 'desk-batch-excluded');
  await dp.getByTestId('prepare-next').click();
  await dp.waitForURL(/\/funds\/batches\?cycle=/);
  await t.settle(dp);
  await desk.close();
  assert.deepEqual(t.problems, []);
});
