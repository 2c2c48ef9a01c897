// Shared by the review pages (docs/web.md "Review, announcements, objections,
// filing"): Chinese names of the API's keys, the policy's levels read from the
// cycle's TOML, the public's name mask, and API errors placed beside fields.
import { computed, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api, chinaToday, request } from '../../api.js';
import { auth } from '../../auth.js';

// The identification engine's flag codes (src/identify/engine.h kFlagNames).
export const FLAG_LABEL = {
  AGE_GRADE: '年龄与年级不符',
  BANK_CARD_LUHN: '银行卡号校验不通过',
  CLAIM_UNVERIFIED: '申报类别未经部门名单核实',
  DOWNGRADED: '因预算降档',
  DUP_ENROLLMENT: '重复学籍',
  DUP_FUNDING: '重复资助',
  GENDER_MISMATCH: '性别与身份证号不符',
  ID_INVALID: '身份证号无效',
  ID_MISMATCH: '身份证号与名册不符',
  LIST_EXPIRED: '部门名单已过有效期',
  NOT_ENROLLED: '不在籍',
  NO_BUDGET: '预算不足',
  SHARED_BANK_CARD: '多户共用银行卡',
};
export const flagText = (f) => FLAG_LABEL[f] || f;

export const RESULT_STATUS = {
  FUNDED: { text: '建议资助', type: 'success' },
  WAITLIST: { text: '候补', type: 'warning' },
  BLOCKED: { text: '待核实', type: 'danger' },
  NOT_APPLIED: { text: '未申请', type: 'info' },
  NOT_ELIGIBLE: { text: '不符合条件', type: 'info' },
};

export const APP_STATE = {
  SUBMITTED: { text: '已提交', type: 'primary' },
  WITHDRAWN: { text: '已撤回', type: 'info' },
};
export const CHANNEL_LABEL = { guardian: '家长提交', school: '学校代录' };

export const STAGE = {
  REVIEW: { text: '学校评审', type: 'warning' },
  ANNOUNCING: { text: '公示中', type: 'primary' },
  FILING: { text: '备案审核中', type: 'warning' },
  APPROVED: { text: '已备案', type: 'success' },
};
export const FILING_STATE = {
  SUBMITTED: { text: '待审核', type: 'warning' },
  RETURNED: { text: '已退回', type: 'danger' },
  APPROVED: { text: '已备案', type: 'success' },
};
export const OBJECTION_STATE = {
  OPEN: { text: '待答复', type: 'warning' },
  UPHELD: { text: '异议成立', type: 'success' },
  DISMISSED: { text: '异议不成立', type: 'info' },
  APPEALED: { text: '已申诉', type: 'danger' },
  APPEAL_UPHELD: { text: '申诉成立', type: 'success' },
  APPEAL_DISMISSED: { text: '申诉不成立', type: 'info' },
};

// The levels and categories of the cycle's policy (GET /cycles/{id}/policy,
// TOML). Only the keys these pages show are read: `level`, `name`, `amount`
// of each [[level]], `code` and `name` of each [[category]].
export function policyTables(toml) {
  const levels = []; const categories = [];
  let cur = null;
  for (const raw of String(toml || '').split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '[[level]]') { cur = {}; levels.push(cur); continue; }
    if (line === '[[category]]') { cur = {}; categories.push(cur); continue; }
    if (line.startsWith('[')) { cur = null; continue; }
    const m = cur && line.match(/^(\w+)\s*=\s*(.+)$/);
    if (!m) continue;
    const v = m[2].trim();
    cur[m[1]] = v.startsWith('"') ? v.slice(1, v.lastIndexOf('"')) : Number(v);
  }
  return { levels: levels.filter((l) => Number.isInteger(l.level)), categories };
}

export async function loadPolicy(cycleId) {
  const p = await api.get(`/cycles/${cycleId}/policy`);
  return policyTables(p.toml);
}

// A level number as the policy names it; null is no aid.
export function levelName(levels, level) {
  if (level === null || level === undefined) return '不资助';
  return levels.find((l) => l.level === level)?.name || `${level} 级`;
}

// The board's tally ({"3": 2, "none": 1}) in words.
export function votesText(levels, votes) {
  const parts = Object.entries(votes || {}).map(([k, n]) => `${k === 'none' ? '不资助' : levelName(levels, Number(k))} ${n} 票`);
  return parts.length ? parts.join('；') : '尚无投票';
}

// The mask the server applies to names on a public announcement
// (core/masking.cc mask_name): the first character kept, the last kept when
// the name has three or more, the rest starred.
export function maskName(name) {
  const cs = [...String(name || '')];
  if (cs.length <= 1) return cs.join('');
  if (cs.length === 2) return cs[0] + '*';
  return cs[0] + '*'.repeat(cs.length - 2) + cs[cs.length - 1];
}

// errors: reactive object of the form's fields plus `general`; the API error
// goes beside the field it names when the form shows it.
export function putError(errors, e) {
  for (const k of Object.keys(errors)) errors[k] = '';
  if (e?.field && e.field in errors && e.field !== 'general') errors[e.field] = e.message;
  else errors.general = e?.message || String(e);
}

export function clearErrors(errors) { for (const k of Object.keys(errors)) errors[k] = ''; }

// Today in Beijing on the server's clock (the API's dates are Beijing dates).
export function todayCn() { return chinaToday(); }

// Saves a download fetched with the session (a refusal shows as an error
// instead of a broken navigation).
export async function download(path, fallbackName) {
  const res = await request('GET', path, { raw: true });
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') || '';
  const name = (cd.match(/filename="?([^";]+)"?/) || [])[1] || fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return { name, size: blob.size };
}

// The cycle (and school) last chosen on a review page, for the next one
// opened from the sidebar (whose links carry no query) in this tab.
const CYCLE_KEY = 'zizhu.review.cycle';
const SCHOOL_KEY = 'zizhu.review.school';
export function initialCycle(route) {
  if (route.query.cycle) return Number(route.query.cycle);
  const kept = Number(sessionStorage.getItem(CYCLE_KEY));
  return kept > 0 ? kept : null;
}
export function rememberCycle(id) { if (id) sessionStorage.setItem(CYCLE_KEY, String(id)); }

// The page's cycle and school, kept in the address (?cycle=&school=) so that
// a reload or a tab shows the same list. `ready` is true when the page can
// load: a cycle, and a school for users above schools (unless optional).
export function useScope({ schoolOptional = false } = {}) {
  const route = useRoute();
  const router = useRouter();
  const cycleId = ref(initialCycle(route));
  const school = ref(route.query.school ? String(route.query.school) : (sessionStorage.getItem(SCHOOL_KEY) || ''));
  rememberCycle(cycleId.value);
  const atSchool = computed(() => auth.user?.org_kind === 'school');
  const ready = computed(() => !!cycleId.value && (atSchool.value || schoolOptional || !!school.value));
  watch([cycleId, school], ([c, s]) => {
    rememberCycle(c);
    if (s) sessionStorage.setItem(SCHOOL_KEY, s);
    const q = { ...route.query };
    if (c) q.cycle = String(c); else delete q.cycle;
    if (s) q.school = s; else delete q.school;
    if (q.cycle !== route.query.cycle || q.school !== route.query.school) router.replace({ query: q });
  });
  // "?school_code=…" (or "&…") for the API when a school is chosen.
  const schoolParam = (sep = '?') => (!atSchool.value && school.value ? `${sep}school_code=${encodeURIComponent(school.value)}` : '');
  return { cycleId, school, atSchool, ready, schoolParam };
}
