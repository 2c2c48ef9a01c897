// Shared by the guardian portal (pages/portal) and the public pages it links
// to: Chinese names of the API's keys and a small helper that puts an API
// error under the form field it concerns (error.field) or in the form's alert.
import { chinaToday } from '../../api.js';
export const CATEGORIES = [
  { value: 'DIBAO', label: '城乡低保家庭' },
  { value: 'POVERTY', label: '脱贫家庭（原建档立卡）' },
  { value: 'DESTITUTE', label: '特困供养' },
  { value: 'ORPHAN', label: '孤儿' },
  { value: 'UNSUPPORTED', label: '事实无人抚养儿童' },
  { value: 'DISABLED', label: '残疾学生' },
  { value: 'MARTYR', label: '烈士子女、优抚对象家庭' },
];
export const CATEGORY_LABEL = Object.fromEntries(CATEGORIES.map((c) => [c.value, c.label]));

export const APP_STATE = {
  SUBMITTED: { text: '已提交', type: 'primary', hint: '申请已交到学校。学校将核对材料、开展认定和民主评议，评审结果会在学校公示；申请期内可以修改或撤回。' },
  WITHDRAWN: { text: '已撤回', type: 'info', hint: '这份申请已撤回，不参加本次认定。申请期内可以重新提交。' },
};

export const FEEDBACK_STATUS = {
  OPEN: 'warning', IN_PROGRESS: 'primary', ANSWERED: 'success', CLOSED: 'info',
};
export const OBJECTION_STATE = {
  OPEN: 'warning', UPHELD: 'success', DISMISSED: 'info', APPEALED: 'primary', APPEAL_UPHELD: 'success', APPEAL_DISMISSED: 'info',
};
export const FEEDBACK_KINDS = [
  { value: 'feedback', label: '意见建议' },
  { value: 'complaint', label: '投诉' },
];

// Today in Beijing as YYYY-MM-DD on the server's clock (api.js): the API's
// dates are Beijing dates, and a phone's own clock may be wrong.
export function today() { return chinaToday(); }

// Whether the cycle takes applications today: the server says so
// (GET /me/cycles `accepting`, by its own China date: a family's phone may
// have the wrong date); the browser's date only when the answer lacks it.
export function cycleOpen(c) {
  if (c && typeof c.accepting === 'boolean') return c.accepting;
  const t = today();
  return !!c && (!c.applications_open_on || c.applications_open_on <= t) && (!c.applications_close_on || t <= c.applications_close_on);
}

export function clearErrors(errors) { for (const k of Object.keys(errors)) errors[k] = ''; }

// errors: a reactive object; the API error goes to errors[field] or errors.general.
// A field the form does not show goes to the alert as well.
export function showError(errors, e) {
  clearErrors(errors);
  if (e?.field && e.field in errors && e.field !== 'general') errors[e.field] = e.message;
  else errors.general = e?.message || String(e);
}

export function fileSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// The school's decision as the guardian may know it (GET /me/applications:
// `outcome`, null for a withdrawn application; nothing before the school's
// announcement).
export function outcomeText(o) {
  if (!o) return '';
  if (o.stage === 'reviewing') return '学校评审中';
  if (o.funded === true) return `获得资助：${o.level_label}`;
  if (o.funded === false) return '未获资助';
  return '学校已公示';
}
export function outcomeTag(o) {
  if (!o || o.stage === 'reviewing') return 'info';
  return o.funded ? 'success' : 'warning';
}
