// Shared by the funds pages (docs/web.md "Funds pages"): source labels, the
// client-chosen transfer ids of the idempotent money routes, form errors.

export const SOURCES = [
  { key: 'central', label: '中央财政', fiscal: true },
  { key: 'provincial', label: '省级财政', fiscal: true },
  { key: 'local', label: '市县财政', fiscal: true },
  { key: 'donor', label: '社会捐助', fiscal: false },
  { key: 'school', label: '学校自筹', fiscal: false },
];
export const SOURCE_LABEL = Object.fromEntries(SOURCES.map((s) => [s.key, s.label]));

export const TRANSFER_CODE = {
  receipt: '资金到账', correction: '到账更正', allocation: '分配到学校', commitment: '名单资金承诺',
  payment: '付款', return: '退回区县',
};
export const TRANSFER_KIND = {
  pending: { text: '待定（银行处理中）', type: 'warning' },
  post: { text: '确认入账', type: 'success' },
  void: { text: '作废（撤销）', type: 'danger' },
  posted: { text: '已入账', type: 'success' },
};

// A transfer id (1 … 2^40 − 1) chosen once when a dialog opens and sent
// again on every retry of that dialog: the server answers "exists" to the
// same content and books nothing twice. Random in [2^32, 2^40), clear of the
// small ids typed by hand and the demo's ids (from 1,000,000).
export function newTransferId() {
  const a = new Uint32Array(2);
  crypto.getRandomValues(a);
  return 2 ** 32 + (a[0] % 255) * 2 ** 32 + a[1];
}

// "1234.5" → "1234.50"; anything else is returned as typed for the server
// to refuse beside the field.
export function normYuan(s) {
  const t = String(s ?? '').trim().replace(/[,，\s]/g, '');
  const m = t.match(/^(\d+)(?:\.(\d{0,2}))?$/);
  return m ? `${m[1]}.${(m[2] || '').padEnd(2, '0')}` : t;
}

// An ApiError into the form's errors: beside its field when the form has
// one, else the form's general alert.
// A ledger refusal (422 LEDGER) ends its message with the rule's key, e.g.
// "(exceeds_credits)": the account does not hold the amount typed.
const RULE_FIELD = { exceeds_credits: 'amount', exceeds_debits: 'amount', overflow: 'amount' };
export function putError(errors, e, fields) {
  const rule = e.code === 'LEDGER' ? (e.message.match(/\((\w+)\)\s*$/) || [])[1] : '';
  const f = fields.includes(e.field) ? e.field : RULE_FIELD[rule];
  if (f && fields.includes(f)) errors[f] = e.message;
  else errors.general = e.field ? `${e.message}（${e.field}）` : e.message;
}

// Beijing date "YYYY-MM-DD" of a Date.
export function ymd(d) {
  return new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 10);
}

// The panel's tally as the server keeps it ("2:3;3:1": level → votes) in
// words: "2 档 3 票；3 档 1 票".
export function tallyText(s) {
  if (!s) return '';
  return s.split(';').filter(Boolean).map((part) => {
    const [k, n] = part.split(':');
    return /^\d+$/.test(k) ? `${k} 档 ${n} 票` : `${k === 'none' || k === '0' ? '不资助' : k} ${n} 票`;
  }).join('；');
}
