// The year walk's administration and oversight steps (issue 7; docs/web.md
// "Administration pages"), UI only. Each logs in as the user it needs in a
// fresh desktop context and leaves the context closed.
//
// Reads from `w` (world.mjs): w.objects; w.cycle (the cycle whose funded
// students are followed up and whose dashboard is read); w.funded (funded
// student ids, optional: the dashboard's 受助学生 must then count them).
// Adds to `w`:
//   w.newUser     { username, password }  the account the sysadmin created
//                 (disabled at the end of the step)
//   w.apiToken    { name, secret }  an API token created (shown once) and revoked
//   w.revealed    { studentName, reason }  the audited reveal of a student
//                 of objects.school_own by the county officer
//   w.auditExport the file name of the audit log the auditor exported
//                 (filtered to the reveals)
//   w.followup    { studentName }  the follow-up recorded from the missing list
//   w.feedbackClosed  the id of the feedback answered and closed
//                 (w.feedback when an earlier step set it, else
//                 objects.feedback_own)
//   w.feedbackReceipt  the receipt code of the feedback the county officer
//                 entered for a caller (代录)
//   w.dashboard   { applications, funded, coverage } the figures the county
//                 officer's dashboard showed for w.cycle (texts of the tiles)
//   w.provoked    [{ page: RegExp, status }] refusals (4xx) these steps provoke
//                 on purpose, which Chromium logs as console errors: the test
//                 excuses each once, and each must have happened
//
// In the year walk they belong after funds.pay (2024-10-15 or later, the
// cycle past REVIEW, its list funded and filed), in this order: users,
// studentReveal, auditCheck (it looks for w.revealed), followUp, feedback,
// dashboard. None of them moves the clock.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DESK, settle, track } from '../browser.mjs';
import { loginOnServerClock } from './session.mjs';

// An el-input's attributes land on the native input itself.
function field(page, testId) {
  return page.locator(`input[data-test="${testId}"], textarea[data-test="${testId}"], [data-test="${testId}"] input, [data-test="${testId}"] textarea`).first();
}

async function menu(page, group, item) {
  const bar = page.getByTestId('sidebar');
  if (!(await bar.getByText(item, { exact: true }).isVisible())) await bar.getByText(group, { exact: true }).click();
  await bar.getByText(item, { exact: true }).click();
}

async function pick(page, trigger, text) {
  await trigger.click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

async function confirmBox(page, button) {
  const box = page.locator('.el-message-box');
  await box.waitFor();
  await box.getByRole('button', { name: button, exact: true }).click();
  await box.waitFor({ state: 'hidden' });
}

function provoke(w, page, status) { (w.provoked ??= []).push({ page, status }); }

// Logs in on a fresh desktop page (the TOTP code of the server's clock,
// session.mjs: the year walk moves it) and waits for the dashboard's reads.
async function session(t, w, key) {
  const ctx = await t.context(DESK);
  const page = await ctx.newPage();
  track(page);
  await page.goto(t.server.base + '/login');
  await loginOnServerClock(t, w, page, key, 'dashboard');
  await settle(page);
  return { ctx, page };
}

async function logout(page) {
  await settle(page);
  await page.getByTestId('user').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  await settle(page);
}

// The sysadmin: the organisation tree, a new school officer (password shown
// once), roles changed, disabled after a confirmation.
export async function users(t, w) {
  const { ctx, page } = await session(t, w, 'sysadmin');
  await menu(page, '系统管理', '用户管理');
  const view = page.getByTestId('admin-users');
  await view.getByTestId('users-table').locator('.el-table__row').first().waitFor();
  await page.getByTestId('org-tree').getByText('城关区第一学校').waitFor();
  await t.snap(page, 'admin-users');

  // The own school's node: its users only.
  await page.getByTestId(`org-${w.objects.school_own}`).click();
  await settle(page);
  const rows = await view.getByTestId('users-table').locator('.el-table__row').allInnerTexts();
  assert.ok(rows.length > 0 && rows.every((r) => r.includes('第一学校')), `only the school's users: ${rows.join(' | ')}`);

  const username = `ui_teacher_${Date.now() % 100000}`;
  await page.getByTestId('user-new').click();
  const dlg = page.getByTestId('user-dialog');
  await dlg.locator('input[name=new-username]').fill(username);
  // A school node cannot hold a county officer: the refusal goes under 角色.
  await dlg.locator('input[name=new-display-name]').fill('界面测试教师');
  await dlg.getByText('区县资助专干', { exact: true }).click();
  provoke(w, /\/admin\/users$/, 422);
  await page.getByTestId('user-save').click();
  await dlg.locator('.el-form-item__error', { hasText: /学校/ }).waitFor();
  await t.snap(page, 'admin-user-role-refused');
  await dlg.getByText('区县资助专干', { exact: true }).click();
  await dlg.getByText('评审小组成员', { exact: true }).click();
  await page.getByTestId('user-save').click();
  const pw = page.getByTestId('temp-password');
  await pw.waitFor();
  const password = (await pw.innerText()).trim();
  assert.match(password, /\S{8,}/);
  await t.snap(page, 'admin-user-password-once');
  await page.getByTestId('password-done').click();
  const state = page.getByTestId(`user-state-${username}`);
  await state.getByText('正常').waitFor();

  // Roles: school officer added.
  const actions = page.getByTestId(`user-actions-${username}`);
  await actions.getByTestId('user-roles').click();
  const roles = page.getByTestId('roles-dialog');
  await roles.getByText('学校资助专干', { exact: true }).click();
  await page.getByTestId('roles-save').click();
  await roles.waitFor({ state: 'hidden' });
  const row = view.getByTestId('users-table').locator('.el-table__row', { hasText: username });
  await row.getByText('学校资助专干').waitFor();
  assert.match(await row.innerText(), /评审小组成员/);

  // Disable, after a confirmation (cancel first: nothing happens).
  await actions.getByTestId('user-disable').click();
  await page.locator('.el-message-box').getByRole('button', { name: '取消' }).click();
  await page.locator('.el-message-box').waitFor({ state: 'hidden' });
  assert.match(await state.innerText(), /正常/);
  await actions.getByTestId('user-disable').click();
  await confirmBox(page, '停用');
  await state.getByText('已停用').waitFor();
  await actions.getByTestId('user-enable').waitFor();
  await t.snap(page, 'admin-user-disabled');
  w.newUser = { username, password };

  // An API token for another department's system: shown once, then revoked
  // after a confirmation.
  await menu(page, '系统管理', '接口令牌');
  const tokens = page.getByTestId('admin-tokens');
  await tokens.getByTestId('tokens-table').locator('.el-table__row').first().waitFor();
  const tokenRows = await tokens.getByTestId('tokens-table').locator('.el-table__row').count();
  await page.getByTestId('token-new').click();
  const tokenName = `民政局名单对接（界面测试 ${Date.now() % 10000}）`;
  await field(page, 'token-name').fill(tokenName);
  await page.getByTestId('token-dialog').getByText('导入部门名单', { exact: true }).click();
  await page.getByTestId('token-save').click();
  const secret = (await page.getByTestId('token-secret').innerText()).trim();
  assert.match(secret, /^zt_\S{16,}$/);
  await t.snap(page, 'admin-token-once');
  await page.getByTestId('token-done').click();
  const tokenRow = tokens.getByTestId('tokens-table').locator('.el-table__row', { hasText: tokenName });
  await tokenRow.getByText('有效').waitFor();
  assert.equal(await tokens.getByTestId('tokens-table').locator('.el-table__row').count(), tokenRows + 1);
  await tokenRow.getByRole('button', { name: '吊销' }).click();
  await confirmBox(page, '吊销');
  await tokenRow.getByText('已吊销').waitFor();
  await t.snap(page, 'admin-token-revoked');
  w.apiToken = { name: tokenName, secret };
  await logout(page);
  await ctx.close();
}

// The county officer: students of the own school, masked; the audited reveal
// (a reason is required; the values are gone once the dialog closes).
export async function studentReveal(t, w) {
  const { ctx, page } = await session(t, w, 'county_officer');
  await menu(page, '学校与学生', '学生信息');
  const view = page.getByTestId('admin-students');
  await view.getByTestId('students-table').locator('.el-table__row').first().waitFor();
  await pick(page, page.getByTestId('student-school'), '城关区第一学校');
  await pick(page, page.getByTestId('student-grade'), '6 年级');
  await page.getByTestId('search').click();
  await settle(page);
  const table = view.getByTestId('students-table');
  const first = table.locator('.el-table__row').first();
  await first.waitFor();
  const texts = await table.locator('.el-table__row').allInnerTexts();
  assert.ok(texts.every((r) => r.includes('城关区第一学校') && r.includes('6年级')), 'the search form filters');
  assert.ok(texts.every((r) => !/\d{17}[\dXx]/.test(r)), 'no full ID number in the table');
  assert.match(texts[0], /\*{4}/, 'masked');
  await t.snap(page, 'admin-students-masked');

  const studentName = (await first.locator('td').first().innerText()).trim();
  await first.getByTestId('student-reveal').click();
  const dlg = page.getByTestId('reveal-dialog');
  await dlg.getByText('记入审计日志', { exact: false }).waitFor();
  // No reason: refused beside the field, nothing revealed.
  await page.getByTestId('reveal-submit').click();
  await dlg.locator('.el-form-item__error', { hasText: '事由' }).waitFor();
  const reason = `核对银行卡开户信息（界面测试 ${Date.now() % 10000}）`;
  await field(page, 'reveal-reason').fill(reason);
  await page.getByTestId('reveal-submit').click();
  await page.getByTestId('revealed').waitFor();
  const revealed = await page.getByTestId('revealed').innerText();
  assert.doesNotMatch(await page.getByTestId('revealed-student-no').innerText(), /\*/, 'the full 学籍号');
  assert.match(revealed, /学籍号/);
  await t.snap(page, 'admin-student-revealed');
  await page.getByTestId('reveal-close').click();
  await dlg.waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('revealed').count(), 0, 'the revealed data is gone with the dialog');
  w.revealed = { studentName, reason };
  await logout(page);
  await ctx.close();
}

// The auditor: the reveal in the audit log (filtered by action), the login
// log, and the chain verified intact.
export async function auditCheck(t, w) {
  const { ctx, page } = await session(t, w, 'auditor');
  await menu(page, '系统管理', '审计日志');
  const view = page.getByTestId('admin-audit');
  await view.getByTestId('audit-table').locator('.el-table__row').first().waitFor();
  await pick(page, page.getByTestId('audit-action'), '查看未脱敏信息');
  await page.getByTestId('audit-submit').click();
  await settle(page);
  const reveal = view.getByTestId('audit-table').locator('.el-table__row', { hasText: w.revealed.reason });
  await reveal.waitFor();
  const row = await reveal.innerText();
  assert.match(row, /county/);
  assert.match(row, /查看未脱敏信息/);
  const all = await view.getByTestId('audit-table').locator('.el-table__row').allInnerTexts();
  assert.ok(all.every((r) => r.includes('student.reveal')), 'filtered by action');
  await t.snap(page, 'admin-audit-reveal');

  // The same selection as an Excel file (the export is itself audited).
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  assert.match(file.suggestedFilename(), /^audit-log-\d+-\d{4}-\d\d-\d\d\.xlsx$/);
  const bytes = await readFile(await file.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx (zip)');
  await page.getByTestId('audit-exported').waitFor();
  const listed = (await view.locator('.el-pagination__total').first().innerText()).match(/(\d+)/)[1];
  assert.match(await page.getByTestId('audit-exported').innerText(), new RegExp(`（${listed} 条`), 'as many rows as the list');
  w.auditExport = file.suggestedFilename();

  await view.getByRole('tab', { name: '登录日志' }).click();
  await view.getByTestId('logins-table').locator('.el-table__row').first().waitFor();
  assert.match(await view.getByTestId('logins-table').innerText(), /auditor/);
  await t.snap(page, 'admin-audit-logins');

  await page.getByTestId('audit-verify').click();
  const result = page.getByTestId('verify-result');
  await result.waitFor();
  const text = await result.innerText();
  assert.match(text, /日志链完整/, text);
  assert.match(text, /共 \d+ 条记录/);
  await t.snap(page, 'admin-audit-verified');
  await logout(page);
  await ctx.close();
}

// The school officer: the cycle's funded students without a follow-up this
// term; one recorded from the list (a note with a phone number is refused
// beside the note first); the record listed, the student off the list.
export async function followUp(t, w) {
  const { ctx, page } = await session(t, w, 'school_officer');
  await menu(page, '跟踪与反馈', '跟踪管理');
  const view = page.getByTestId('admin-followups');
  await view.getByTestId('cycle-picker').waitFor();
  await settle(page);  // the newest cycle's reads: none aborted by the next page
  await page.goto(`${t.server.base}/admin/followups?cycle=${w.cycle}`);
  const summary = page.getByTestId('missing-summary');
  await summary.waitFor();
  await settle(page);
  const before = Number((await summary.innerText()).match(/尚无跟踪记录 (\d+) 人/)[1]);
  assert.ok(before > 0, 'someone to follow up');
  const first = view.getByTestId('missing-table').locator('.el-table__row').first();
  const studentName = (await first.locator('td').first().innerText()).trim();
  await t.snap(page, 'admin-followups-missing');

  await first.getByTestId('followup-record').click();
  const dlg = page.getByTestId('followup-dialog');
  await dlg.waitFor();
  await pick(page, page.getByTestId('followup-kind'), '学习生活情况');
  await field(page, 'followup-note').fill('与班主任一起谈话，请家长回电 13912345678。');
  provoke(w, /\/admin\/followups/, 400);
  await page.getByTestId('followup-save').click();
  await dlg.locator('.el-form-item__error').first().waitFor();
  await t.snap(page, 'admin-followup-refused');
  await field(page, 'followup-note').fill('与班主任一起了解学习和生活情况，资助金已用于购买学习用品和冬衣（界面测试）。');
  await page.getByTestId('followup-save').click();
  await dlg.waitFor({ state: 'hidden' });
  await summary.getByText(`尚无跟踪记录 ${before - 1} 人`).waitFor();
  await view.getByTestId('followups-table').locator('.el-table__row', { hasText: studentName }).waitFor();
  assert.match(await view.getByTestId('followups-table').innerText(), /学习生活情况/);
  await t.snap(page, 'admin-followup-recorded');
  w.followup = { studentName };
  await logout(page);
  await ctx.close();
}

// The county officer: a feedback item answered (after a confirmation), then
// closed (after a confirmation); its state follows in the list.
export async function feedback(t, w) {
  const id = w.feedback ?? w.objects.feedback_own;
  const { ctx, page } = await session(t, w, 'county_officer');
  await menu(page, '跟踪与反馈', '意见反馈');
  const view = page.getByTestId('admin-feedback');
  await view.getByTestId(`feedback-open-${id}`).waitFor();
  await t.snap(page, 'admin-feedback-list');

  // A telephone call entered by the officer (代录): the receipt code shown once.
  const rowsBefore = await view.getByTestId('feedback-table').locator('.el-table__row').count();
  await page.getByTestId('feedback-new').click();
  const entry = page.getByTestId('feedback-new-dialog');
  await field(page, 'feedback-new-text').fill('家长来电：希望学校提前告知资助金发放的大致时间（界面测试代录）。');
  await page.getByTestId('feedback-new-save').click();
  const receipt = (await page.getByTestId('feedback-new-receipt').innerText()).trim();
  assert.match(receipt, /^[0-9a-z]{4}(-[0-9a-z]{4}){2}$/, receipt);
  await t.snap(page, 'admin-feedback-entered');
  await entry.getByRole('button', { name: '我已告知，关闭' }).click();
  await entry.waitFor({ state: 'hidden' });
  await view.getByTestId('feedback-table').locator('.el-table__row').nth(rowsBefore).waitFor();
  await view.getByTestId('feedback-table').locator('.el-table__row', { hasText: '界面测试代录' }).getByText('待处理').waitFor();
  w.feedbackReceipt = receipt;

  await view.getByTestId(`feedback-open-${id}`).click();
  const drawer = page.getByTestId('feedback-drawer');
  await drawer.getByTestId('feedback-detail').waitFor();
  // An empty answer is refused beside the field.
  await page.getByTestId('feedback-answer-submit').click();
  await drawer.locator('.el-form-item__error', { hasText: '答复' }).waitFor();
  const answer = '已联系学校：资助金到账后由班主任通知家长，并在校门口公告栏张贴发放时间（界面测试）。';
  await field(page, 'feedback-answer').fill(answer);
  await page.getByTestId('feedback-answer-submit').click();
  await confirmBox(page, '提交');
  await drawer.getByTestId('feedback-detail-state').getByText('已答复').waitFor();
  assert.equal((await drawer.getByTestId('feedback-answer-text').innerText()).trim(), answer);
  await t.snap(page, 'admin-feedback-answered');
  await page.getByTestId('feedback-close').click();
  await confirmBox(page, '关闭');
  await drawer.getByTestId('feedback-detail-state').getByText('已关闭').waitFor();
  await view.getByTestId(`feedback-state-${id}`).getByText('已关闭').waitFor();
  await t.snap(page, 'admin-feedback-closed');
  await drawer.locator('.el-drawer__close-btn').click();
  await drawer.getByTestId('feedback-detail').waitFor({ state: 'hidden' });
  w.feedbackClosed = id;
  await logout(page);
  await ctx.close();
}

// The county officer's dashboard for w.cycle: the tiles and the charts
// (canvases drawn).
export async function dashboard(t, w) {
  const { ctx, page } = await session(t, w, 'county_officer');
  await page.getByTestId('dashboard-cycle').getByTestId('cycle-picker').waitFor();
  await settle(page);
  await page.goto(`${t.server.base}/dashboard?cycle=${w.cycle}`);
  await page.getByTestId('dashboard').waitFor();
  const tile = (key) => page.getByTestId(`stat-${key}`).getByTestId('stat-value');
  await settle(page);
  await tile('funded').waitFor();
  for (const chart of ['chart-schools', 'chart-payments']) {
    await page.getByTestId(chart).locator('canvas').waitFor();
  }
  if (w.funded) assert.equal(Number(await tile('funded').innerText()), w.funded.length, 'the funded students');
  w.dashboard = {
    applications: (await tile('applications').innerText()).trim(),
    funded: (await tile('funded').innerText()).trim(),
    coverage: (await tile('coverage').innerText()).trim(),
  };
  await page.waitForTimeout(1500);  // ECharts draws its bars in over a second
  await t.snap(page, 'admin-dashboard');
  await logout(page);
  await ctx.close();
}

// 2024-10-14, before funds.pay: the school officer enters the cards the
// guardians of the listed pupils brought (the demo's roster has none for
// them), from 学生信息 → 修改银行卡, each after the confirmation. Reads
// w.listedNames (cycle.importList); adds w.cards { name: card }.
export async function bankCards(t, w) {
  assert.ok(w.listedNames?.length, 'cycle.importList ran');
  const { ctx, page } = await session(t, w, 'school_officer');
  await menu(page, '学校与学生', '学生信息');
  const view = page.getByTestId('admin-students');
  await view.getByTestId('students-table').locator('.el-table__row').first().waitFor();
  w.cards = {};
  let seq = 0;
  for (const name of w.listedNames) {
    await field(page, 'student-name').fill(name);
    await page.getByTestId('search').click();
    await settle(page);
    const row = view.getByTestId('students-table').locator('.el-table__row', { hasText: name });
    await row.first().waitFor();
    assert.equal(await row.count(), 1, `one pupil named ${name}`);
    await row.getByTestId('student-card').click();
    const dlg = page.getByTestId('card-dialog');
    await dlg.waitFor();
    const card = `6222020${String(++seq).padStart(4, '0')}${String(Date.now() % 1e8).padStart(8, '0')}`;
    await field(page, 'card-number').fill(card);
    await field(page, 'card-reason').fill('监护人提供银行卡，学校核实');
    await page.getByTestId('card-save').click();
    await confirmBox(page, '确认修改');
    await dlg.waitFor({ state: 'hidden' });
    await settle(page);
    w.cards[name] = card;
  }
  await t.snap(page, 'admin-students-cards');
  await logout(page);
  await ctx.close();
}
