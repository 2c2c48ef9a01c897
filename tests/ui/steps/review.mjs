// The year walk's review steps (tests/ui/steps/world.mjs): the panel votes
// and the school decides, the list is announced, an objection answered, the
// list filed and approved. Each drives the browser only, on a desktop
// viewport; the only API call is moving the clock (w.on).
//
// Reads:  w.cycle (the cycle's id), w.receipt (optional: the objection's
//         receipt from public.object; without it the open objection is
//         found on the page), w.objects (the demo's objects).
// Adds:   w.funded        student ids decided as funded (three, level 3)
//         w.fundedNames   their names as the board shows them (staff)
//         w.announcement  { id, starts_on, ends_on, rows } of the published 公示
//                         (rows: { no, name, class_name, level } as the public sees them)
//         w.objectionAnswered  { id, state } of the answered objection
//         w.filing        { id, entries, total, sm3 } of the approved filing
//         w.clockOffsetMs the server's clock minus the real one (set with each
//                         w.on here: TOTP codes are of the server's time)
//
// Logins happen on the server's clock (TOTP codes are of the server's time;
// moving the clock back no longer locks an account that logged in at the
// real date: src/app/auth.cc counts failures from a login-event mark).
import assert from 'node:assert/strict';
import { user } from '../../api/harness.mjs';
import { confirmBox, on, openAs, rowsOf, settled } from './session.mjs';

const LEVEL3 = '三级（一般困难）';

// A page of `key` at `path`, logged in (session.mjs).
const open = (t, w, key, path, landing) => openAs(t, w, key, path, landing);

// 2024-09-18: the school officer names the panel; each member votes level 3
// for every candidate; the school officer records the decisions.
export async function vote(t, w) {
  await on(w, '2024-09-18');
  const board = `/review/board?cycle=${w.cycle}`;
  const so = await open(t, w, 'school_officer', board, 'review-board');
  let page = so.page;
  await rowsOf(page, 'board-table').first().waitFor();
  await settled(page);
  const candidates = await rowsOf(page, 'board-table').count();
  assert.ok(candidates >= 3, `three candidates or more on the board (${candidates})`);
  await t.snap(page, 'review-board-before-panel');

  // The panel: three reviewers by their usernames.
  await page.getByTestId('panel-edit').click();
  const pdlg = page.getByTestId('panel-dialog');
  await pdlg.waitFor();
  await pdlg.locator('textarea[data-test="panel-usernames"], [data-test="panel-usernames"] textarea')
    .fill(['reviewer', 'reviewer2', 'reviewer3'].map((k) => user(t.server, k).username).join(', '));
  await t.snap(page, 'review-panel-dialog');
  await pdlg.getByTestId('panel-save').click();
  await pdlg.waitFor({ state: 'hidden' });
  await page.getByTestId('panel-member').nth(2).waitFor();
  assert.equal(await page.getByTestId('panel-member').count(), 3);

  // Each reviewer votes level 3 for every candidate.
  for (const key of ['reviewer', 'reviewer2', 'reviewer3']) {
    const r = await open(t, w, key, board, 'review-board');
    await rowsOf(r.page, 'board-table').first().waitFor();
    await settled(r.page);
    const n = await rowsOf(r.page, 'board-table').count();
    assert.equal(n, candidates, `${key} sees the same candidates`);
    for (let i = 0; i < n; i++) {
      const row = rowsOf(r.page, 'board-table').nth(i);
      await row.getByTestId('vote').click();
      const dlg = r.page.getByTestId('vote-dialog');
      await dlg.getByTestId('candidate-facts').waitFor();
      if (key === 'reviewer' && i === 0) await t.snap(r.page, 'review-vote-dialog');
      await dlg.getByTestId('vote-level').getByText(LEVEL3, { exact: true }).click();
      await dlg.getByTestId('vote-submit').click();
      await dlg.waitFor({ state: 'hidden' });
      await row.getByTestId('my-vote').getByText(LEVEL3).waitFor();
    }
    if (key === 'reviewer3') {
      await rowsOf(r.page, 'board-table').first().getByTestId('cand-votes').getByText(`${LEVEL3} 3 票`).waitFor();
      await t.snap(r.page, 'review-board-voted');
    }
    await r.ctx.close();
  }

  // The school officer decides: the majority (level 3), with a reason where
  // the identification suggested otherwise.
  await page.reload();
  await rowsOf(page, 'board-table').first().getByTestId('cand-votes').getByText(`${LEVEL3} 3 票`).waitFor();
  await settled(page);
  w.funded = []; w.fundedNames = [];
  for (let i = 0; i < candidates; i++) {
    const row = rowsOf(page, 'board-table').nth(i);
    await row.getByTestId('decide').click();
    const dlg = page.getByTestId('decide-dialog');
    await dlg.getByTestId('candidate-facts').waitFor();
    // The majority is chosen already.
    assert.ok(await dlg.getByTestId('decide-level').getByRole('radio', { name: LEVEL3 }).isChecked()
      || await dlg.getByTestId('decide-level').locator('.el-radio.is-checked').getByText(LEVEL3).count() === 1, 'the majority preselected');
    await dlg.locator('textarea[data-test="decide-reason"], [data-test="decide-reason"] textarea').fill('评审小组综合评议');
    if (i === 0) await t.snap(page, 'review-decide-dialog');
    await dlg.getByTestId('decide-submit').click();
    await confirmBox(page, '记录决定');
    await dlg.waitFor({ state: 'hidden' });
    const decided = row.getByTestId('cand-decision');
    await decided.getByText(LEVEL3).waitFor();
    w.funded.push(Number(await row.getByTestId('cand-name').getAttribute('data-student')));
    w.fundedNames.push((await row.getByTestId('cand-name').innerText()).trim());
  }
  assert.equal(w.funded.length, 3);
  assert.equal((await page.getByTestId('board-committed').innerText()).trim(), '3,000.00');
  assert.equal((await page.getByTestId('board-decided').innerText()).trim(), String(candidates));
  await t.snap(page, 'review-board-decided');
  await so.ctx.close();
}

// 2024-09-26: the school officer previews the announcement as the public
// will see it, publishes it, and downloads the PDF and the XLSX.
export async function announce(t, w) {
  await on(w, '2024-09-26');
  const { ctx, page } = await open(t, w, 'school_officer', `/review/announcements?cycle=${w.cycle}`, 'review-announcements');
  await page.getByTestId('announcement-table').getByText('还没有公示').waitFor();
  await page.getByTestId('announce').click();
  const dlg = page.getByTestId('preview-dialog');
  await dlg.getByTestId('public-rows').locator('tbody tr').nth(2).waitFor();
  await settled(page);
  const preview = await dlg.getByTestId('public-view').innerText();
  assert.equal(await dlg.getByTestId('public-rows').locator('tbody tr').count(), 3);
  for (const name of w.fundedNames || []) {
    assert.ok(!preview.includes(name), `the preview masks ${name}`);
    assert.ok(preview.includes(name[0] + '*'), `the preview shows ${name[0]}* (masked)`);
  }
  assert.match(preview, new RegExp(LEVEL3.replace(/[()（）]/g, '.')));
  assert.equal(await dlg.getByTestId('preview-blocker').count(), 0, 'nothing blocks the announcement');
  await t.snap(page, 'announce-preview');
  await dlg.getByTestId('publish').click();
  await confirmBox(page, '发布');
  const drawer = page.getByTestId('ann-drawer');
  await drawer.getByTestId('public-rows').locator('tbody tr').nth(2).waitFor();
  const published = await drawer.getByTestId('public-view').innerText();
  // The server composed the preview as it publishes: the same text, the
  // period included.
  assert.equal(published, preview, 'published as previewed');
  assert.match(published, /2024-09-26 至 2024-10-09/, 'five working days, National Day skipped');
  await t.snap(page, 'announce-published');
  await drawer.locator('.el-drawer__close-btn').click();

  const row = rowsOf(page, 'announcement-table').first();
  await row.getByTestId('ann-state').getByText('公示中').waitFor();
  const id = Number((await row.locator('td').first().innerText()).trim());
  for (const [button, ext, magic] of [['ann-pdf', 'pdf', '%PDF'], ['ann-xlsx', 'xlsx', 'PK']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId(button).click()]);
    assert.equal(download.suggestedFilename(), `announcement-${id}.${ext}`);
    const stream = await download.createReadStream();
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    assert.equal(Buffer.concat(chunks).subarray(0, magic.length).toString('latin1'), magic, `${ext} content`);
  }
  await t.snap(page, 'announce-list');
  const rows = (await drawerRows(page, row));
  w.announcement = { id, starts_on: '2024-09-26', ends_on: '2024-10-09', rows };
  await ctx.close();
}

// The rows of an announcement as its drawer shows them (the public's view).
async function drawerRows(page, row) {
  await row.getByTestId('ann-view').click();
  const drawer = page.getByTestId('ann-drawer');
  const trs = drawer.getByTestId('public-rows').locator('tbody tr');
  await trs.first().waitFor();
  const out = [];
  for (let i = 0; i < await trs.count(); i++) {
    const cells = await trs.nth(i).locator('td').allInnerTexts();
    out.push({ no: Number(cells[0]), name: cells[1].trim(), class_name: cells[2].trim(), level: cells[3].trim() });
  }
  await drawer.locator('.el-drawer__close-btn').click();
  return out;
}

// 2024-09-27: the school officer answers the objection: dismissed, with the
// reason (w.receipt's objection, or the open one on the page).
export async function answer(t, w) {
  await on(w, '2024-09-27');
  const { ctx, page } = await open(t, w, 'school_officer', `/review/objections?cycle=${w.cycle}`, 'review-objections');
  const open1 = rowsOf(page, 'objection-table').filter({ has: page.getByTestId('obj-answer-btn') }).first();
  await open1.waitFor();
  await settled(page);
  assert.match(await open1.getByTestId('obj-state').innerText(), /待答复/);
  await t.snap(page, 'objections-open');
  await open1.getByTestId('obj-answer-btn').click();
  const dlg = page.getByTestId('answer-dialog');
  await dlg.waitFor();
  await dlg.getByTestId('answer-upheld').getByText('不成立', { exact: true }).click();
  await dlg.locator('textarea[data-test="answer-text"], [data-test="answer-text"] textarea').fill('经入户核实，该生家庭确有困难，异议不成立');
  await t.snap(page, 'objection-answer-dialog');
  await dlg.getByTestId('answer-submit').click();
  await confirmBox(page, '确认提交');
  await dlg.waitFor({ state: 'hidden' });
  const done = rowsOf(page, 'objection-table').filter({ hasText: '经入户核实，该生家庭确有困难' }).first();
  await done.getByTestId('obj-state').getByText('不成立').waitFor();
  assert.equal(await done.getByTestId('obj-answer-btn').count(), 0, 'answered once');
  await t.snap(page, 'objection-answered');
  // The objector follows the receipt: the answer is there.
  if (w.receipt) {
    await page.waitForLoadState('networkidle');
    await page.goto(`${t.server.base}/public/objection/status/${w.receipt}`);
    await page.getByTestId('objection-result').getByText('经入户核实，该生家庭确有困难').waitFor();
    assert.match(await page.getByTestId('objection-state').innerText(), /不成立/);
    await t.snap(page, 'objection-public-status');
  }
  w.objectionAnswered = { state: 'DISMISSED' };
  await ctx.close();
}

// 2024-10-14: the period is over and the objection settled: the school
// submits its list; the county officer sees each school's progress and
// flags, opens the filing (its frozen list and SM3) and approves it.
export async function file(t, w) {
  await on(w, '2024-10-14');
  const so = await open(t, w, 'school_officer', `/review/filings?cycle=${w.cycle}`, 'review-filings');
  let page = so.page;
  await page.getByTestId('own-stage').waitFor();
  await settled(page);
  await page.getByTestId('submit-filing').click();
  await confirmBox(page, '提交');
  const row = rowsOf(page, 'filing-table').first();
  await row.getByTestId('filing-state').getByText('待审核').waitFor();
  assert.equal((await row.getByTestId('filing-total').innerText()).trim(), '3,000.00');
  await t.snap(page, 'filing-submitted');
  await so.ctx.close();

  const co = await open(t, w, 'county_officer', `/review/filings?cycle=${w.cycle}`, 'review-filings');
  page = co.page;
  const own = rowsOf(page, 'school-table').filter({ has: page.getByTestId('filing-approve') }).first();
  await own.waitFor();
  await settled(page);
  assert.match(await own.getByTestId('school-stage').innerText(), /待备案|备案/);
  assert.match(await own.getByTestId('school-counts').innerText(), /3 \/ 3 \/ 3/);
  await t.snap(page, 'county-schools');
  await own.getByTestId('school-filing-view').click();
  await page.getByTestId('filing-detail').waitFor();
  await page.getByTestId('snapshot-table').locator('tbody tr').nth(2).waitFor();
  const sm3 = (await page.getByTestId('detail-sm3').innerText()).trim();
  assert.match(sm3, /^[0-9a-f]{64}$/);
  assert.equal(await page.getByTestId('snapshot-table').locator('tbody tr').count(), 3);
  await t.snap(page, 'filing-detail');
  await page.getByTestId('detail-approve').click();
  await confirmBox(page, '通过');
  await page.getByTestId('detail-state').getByText('已备案').waitFor();
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  w.filing = { id, entries: 3, total: '3000.00', sm3 };
  await t.snap(page, 'filing-approved');
  await co.ctx.close();
}
