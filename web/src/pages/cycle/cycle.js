// Shared by the cycle pages (docs/web.md "Cycle setup, imports and
// identification"): state and flag labels, uploads with progress, and the
// policy's TOML read into a form and written back.
import { csrfFromCookie, ApiError } from '../../api.js';

export const CYCLE_STATE = {
  DRAFT: { text: '草稿', type: 'info' },
  OPEN: { text: '申请中', type: 'primary' },
  REVIEW: { text: '评审中', type: 'warning' },
  ANNOUNCING: { text: '公示中', type: 'warning' },
  FILING: { text: '备案中', type: 'warning' },
  APPROVED: { text: '已备案', type: 'success' },
  CLOSED: { text: '已关闭', type: 'info' },
};

// identify.md "Flags": what each flag means, in words an aid officer can
// read to a parent.
export const FLAGS = {
  ID_INVALID: '身份证号无效（未通过国家标准校验）',
  ID_MISMATCH: '学籍号与身份证号不一致',
  DUP_ENROLLMENT: '同一身份证号有多条学籍',
  DUP_FUNDING: '本学年已在其他学校受助',
  NOT_ENROLLED: '申请的学籍号不在学籍名册中',
  GENDER_MISMATCH: '性别与身份证号不符',
  AGE_GRADE: '年龄与年级不符',
  BANK_CARD_LUHN: '银行卡号校验未通过（仅提示）',
  SHARED_BANK_CARD: '同一银行卡被多户使用',
  CLAIM_UNVERIFIED: '申报的类别未被部门名单证实',
  LIST_EXPIRED: '匹配到的部门名单不在有效期内',
  DOWNGRADED: '因预算不足降档资助',
  NO_BUDGET: '学校预算为 0',
};
export const FLAG_CODES = Object.keys(FLAGS);

export const RESULT_STATUS = {
  FUNDED: { text: '拟资助', type: 'success' },
  WAITLIST: { text: '候补（预算不足）', type: 'warning' },
  BLOCKED: { text: '已拦截（须核实）', type: 'danger' },
  NOT_ELIGIBLE: { text: '未达等级', type: 'info' },
  NOT_APPLIED: { text: '未申请', type: 'info' },
};

// The reason codes of a rejected row (identify/input/fields.h, the roster's
// store checks), in words; the code itself is shown too, as the API sends it.
export const REJECT_REASON = {
  MISSING_VALUE: '缺少必填内容',
  BAD_STUDENT_NO: '学籍号格式不对',
  BAD_SCHOOL_CODE: '学校标识码格式不对',
  UNKNOWN_SCHOOL: '没有这所学校，或不在本机构范围内',
  BAD_GRADE: '年级须为 1–9',
  BAD_GENDER: '性别须为 男 或 女',
  BAD_DATE: '日期不对（须为 YYYY-MM-DD 的真实日期）',
  BAD_BOOLEAN: '须为 是 或 否',
  BAD_BANK_CARD: '银行卡号格式不对',
  BAD_NUMBER: '须为数字',
  BAD_MONEY: '金额不对',
  BAD_ID: '身份证号无效（位数、出生日期或校验位不对）',
  UNKNOWN_CATEGORY: '政策中没有这个类别',
  NUMERIC_CELL: '单元格是数字格式（长号码会丢位），请设为文本后重填',
  DUPLICATE_STUDENT_NO: '同一学籍号在文件中出现多次',
};

// A file's bytes to the API with upload progress (fetch has none): the same
// session cookie and anti-CSRF token as api.js. `onProgress(percent)`.
// Resolves to the JSON answer; rejects with an ApiError like api.js does.
export function uploadWithProgress(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1' + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    const token = csrfFromCookie();
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100)); };
    xhr.onload = () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) { onProgress(100); resolve(data); } else reject(new ApiError(xhr.status, data?.error));
    };
    xhr.onerror = () => reject(new ApiError(0, { message: '无法连接服务器，请检查网络后重试' }));
    xhr.send(file);
  });
}

// ---------------------------------------------------------------------------
// The policy (src/core/policy.cc, identify.md "The policy"). The API keeps it
// as TOML text; the editor is a form, so the text is read here into fields
// and written back. The reader knows the TOML the policy uses (tables,
// arrays of tables, sub-tables such as [level.amounts], inline tables,
// strings, numbers, booleans, dates, arrays, comments); anything else is an
// error and the page shows the text read-only rather than guess. Numbers keep
// their text: money never passes through a float here.

class TomlError extends Error {}

function parseValue(src, pos) {
  const ws = () => { while (pos.i < src.length && /[ \t\r\n]/.test(src[pos.i])) pos.i++; };
  const wsc = () => {  // whitespace and comments (inside arrays)
    for (;;) {
      ws();
      if (src[pos.i] === '#') { while (pos.i < src.length && src[pos.i] !== '\n') pos.i++; } else return;
    }
  };
  ws();
  const c = src[pos.i];
  if (c === '"') {
    let out = ''; pos.i++;
    while (pos.i < src.length && src[pos.i] !== '"') {
      if (src[pos.i] === '\\') {
        const e = src[pos.i + 1];
        const map = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (e in map) { out += map[e]; pos.i += 2; } else if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(src.slice(pos.i + 2, pos.i + 2 + n), 16)); pos.i += 2 + n;
        } else throw new TomlError('字符串中有无效的转义');
      } else if (src[pos.i] === '\n') throw new TomlError('字符串未结束');
      else out += src[pos.i++];
    }
    if (src[pos.i] !== '"') throw new TomlError('字符串未结束');
    pos.i++;
    return { type: 'string', value: out };
  }
  if (c === "'") {
    const end = src.indexOf("'", pos.i + 1);
    if (end < 0) throw new TomlError('字符串未结束');
    const value = src.slice(pos.i + 1, end); pos.i = end + 1;
    return { type: 'string', value };
  }
  if (c === '[') {
    pos.i++; const items = [];
    for (;;) {
      wsc();
      if (src[pos.i] === ']') { pos.i++; return { type: 'array', value: items }; }
      items.push(parseValue(src, pos));
      wsc();
      if (src[pos.i] === ',') { pos.i++; continue; }
      if (src[pos.i] === ']') { pos.i++; return { type: 'array', value: items }; }
      throw new TomlError('数组格式有误');
    }
  }
  if (c === '{') {
    pos.i++; const table = {};
    ws();
    if (src[pos.i] === '}') { pos.i++; return { type: 'table', value: table }; }
    for (;;) {
      ws();
      const m = /^([A-Za-z0-9_-]+)[ \t]*=/.exec(src.slice(pos.i));
      if (!m) throw new TomlError('内联表格式有误');
      pos.i += m[0].length;
      table[m[1]] = parseValue(src, pos);
      ws();
      if (src[pos.i] === ',') { pos.i++; continue; }
      if (src[pos.i] === '}') { pos.i++; return { type: 'table', value: table }; }
      throw new TomlError('内联表格式有误');
    }
  }
  const m = /^[^\s,\]}#]+/.exec(src.slice(pos.i));
  if (!m) throw new TomlError('缺少值');
  const t = m[0]; pos.i += t.length;
  if (t === 'true' || t === 'false') return { type: 'bool', value: t === 'true' };
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return { type: 'date', value: t };
  if (/^[+-]?\d[\d_]*$/.test(t)) return { type: 'int', value: t.replace(/_/g, '').replace(/^\+/, '') };
  if (/^[+-]?\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?$/.test(t)) return { type: 'float', value: t.replace(/_/g, '').replace(/^\+/, '') };
  throw new TomlError(`无法识别的值 ${t}`);
}

// TOML text → plain objects whose leaves are {type, value}.
export function parseToml(text) {
  const root = {};
  let current = root;
  const src = text.replace(/\r\n/g, '\n');
  const pos = { i: 0 };
  let line = 1;
  const keyPath = (s) => s.split('.').map((k) => k.trim().replace(/^"(.*)"$/, '$1'));
  while (pos.i < src.length) {
    const rest = src.slice(pos.i);
    const blank = /^[ \t]*(#[^\n]*)?(\n|$)/.exec(rest);
    if (blank && blank[0].length) { pos.i += blank[0].length; line++; continue; }
    if (!blank?.[0].length && !rest.trim()) break;
    try {
      let m;
      if ((m = /^[ \t]*\[\[([^\]]+)\]\][ \t]*(#[^\n]*)?(\n|$)/.exec(rest))) {
        const path = keyPath(m[1]); const last = path.pop();
        let t = root; for (const k of path) { t = walk(t, k); }
        if (!(last in t)) t[last] = { type: 'tables', value: [] };
        if (t[last].type !== 'tables') throw new TomlError(`${m[1]} 重复定义`);
        current = {}; t[last].value.push(current);
        pos.i += m[0].length; line++; continue;
      }
      if ((m = /^[ \t]*\[([^\]]+)\][ \t]*(#[^\n]*)?(\n|$)/.exec(rest))) {
        let t = root; for (const k of keyPath(m[1])) t = walk(t, k, true);
        current = t; pos.i += m[0].length; line++; continue;
      }
      if ((m = /^[ \t]*([A-Za-z0-9_."-]+)[ \t]*=/.exec(rest))) {
        pos.i += m[0].length;
        const before = pos.i;
        const path = keyPath(m[1]); const last = path.pop();
        let t = current; for (const k of path) t = walk(t, k, true);
        t[last] = parseValue(src, pos);
        line += (src.slice(before, pos.i).match(/\n/g) || []).length;
        const tail = /^[ \t]*(#[^\n]*)?(\n|$)/.exec(src.slice(pos.i));
        if (!tail) throw new TomlError('值后面有多余的内容');
        pos.i += tail[0].length; line++;
        continue;
      }
      throw new TomlError('无法识别的行');
    } catch (e) {
      if (e instanceof TomlError) throw new TomlError(`第 ${line} 行：${e.message}`);
      throw e;
    }
  }
  return root;

  // The table at `k` of `t`: the last element of an array of tables, or a
  // (new) sub-table.
  function walk(t, k, create = true) {
    if (!(k in t)) { if (!create) throw new TomlError(`没有 ${k}`); t[k] = { type: 'table', value: {} }; }
    const n = t[k];
    if (n.type === 'tables') return n.value[n.value.length - 1];
    if (n.type === 'table') return n.value;
    throw new TomlError(`${k} 不是表`);
  }
}

const AMOUNT_KEYS = ['primary_day', 'primary_boarding', 'junior_day', 'junior_boarding'];
export const AMOUNT_LABELS = { primary_day: '小学走读', primary_boarding: '小学寄宿', junior_day: '初中走读', junior_boarding: '初中寄宿' };

// A TOML number or string of yuan as "1500.00" (text only). Anything that is
// not yuan with at most two decimals is kept as written, for the server to
// refuse beside the field.
function moneyText(node) {
  if (!node) return '';
  const t = String(node.value);
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  return m ? `${m[1]}.${(m[2] || '').padEnd(2, '0')}` : t;
}
const leaf = (node) => (node ? String(node.value) : '');
const tablesOf = (root, key) => (root[key]?.type === 'tables' ? root[key].value : []);
const tableOf = (root, key) => (root[key]?.type === 'table' ? root[key].value : {});

// The TOML of a policy → the editor's form. Throws when the text is not
// TOML this reader knows.
export function policyForm(text) {
  const root = parseToml(text);
  const factors = tableOf(root, 'factors');
  const checks = tableOf(root, 'checks');
  const allocation = tableOf(root, 'allocation');
  return {
    school_year: leaf(root.school_year),
    reference_date: leaf(root.reference_date),
    direct_identification: root.direct_identification?.value === true,
    levels: tablesOf(root, 'level').map((l) => {
      const amounts = l.amounts?.type === 'table' ? l.amounts.value : {};
      return {
        level: leaf(l.level), name: leaf(l.name), min_score: leaf(l.min_score), amount: moneyText(l.amount),
        amounts: Object.fromEntries(AMOUNT_KEYS.map((k) => [k, moneyText(amounts[k])])),
      };
    }),
    categories: tablesOf(root, 'category').map((c) => ({
      code: leaf(c.code), name: leaf(c.name), match: leaf(c.match) || 'student', points: leaf(c.points),
      min_level: leaf(c.min_level),
    })),
    income_brackets: tablesOf(root, 'income_bracket').map((b) => ({ below: moneyText(b.below), points: leaf(b.points) })),
    factors: {
      serious_illness: leaf(factors.serious_illness), sudden_hardship: leaf(factors.sudden_hardship),
      single_parent: leaf(factors.single_parent), siblings_in_school: leaf(factors.siblings_in_school),
      siblings_min: leaf(factors.siblings_min),
    },
    checks: {
      age_grade_tolerance: leaf(checks.age_grade_tolerance),
      shared_bank_card_max_households: leaf(checks.shared_bank_card_max_households),
      blocking: checks.blocking?.type === 'array' ? checks.blocking.value.map((x) => String(x.value)) : [],
    },
    allow_downgrade: allocation.allow_downgrade?.value === true,
  };
}

// The form's syntax, checked before sending (what is wrong with one field
// alone); the rules across fields — duplicate numbers, codes and names,
// ascending brackets, a min_level that names a level, the school year — are
// the server's, whose answer names the field. Keys as the server names them
// (level[2].amount, 1-based).
export function policySyntaxErrors(f) {
  const errors = {};
  const int = (v, key) => { if (!/^-?\d+$/.test(String(v).trim())) errors[key] = '请填写整数'; };
  const money = (v, key, optional = false) => {
    const t = String(v ?? '').trim();
    if (optional && !t) return;
    if (!/^\d+(\.\d{1,2})?$/.test(t)) errors[key] = '金额须为不小于 0 的元数，最多两位小数';
  };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.reference_date || '')) errors.reference_date = '请选择参考日期';
  if (!f.levels.length) errors.level = '至少需要一个资助等级';
  f.levels.forEach((l, i) => {
    const p = `level[${i + 1}]`;
    int(l.level, `${p}.level`); int(l.min_score, `${p}.min_score`); money(l.amount, `${p}.amount`);
    if (!String(l.name).trim()) errors[`${p}.name`] = '请填写等级名称';
    for (const k of AMOUNT_KEYS) money(l.amounts[k], `${p}.amounts.${k}`, true);
  });
  f.categories.forEach((c, i) => {
    const p = `category[${i + 1}]`;
    if (!String(c.code).trim()) errors[`${p}.code`] = '请填写类别代码';
    if (!String(c.name).trim()) errors[`${p}.name`] = '请填写类别名称';
    int(c.points, `${p}.points`);
  });
  f.income_brackets.forEach((b, i) => { money(b.below, `income_bracket[${i + 1}].below`); int(b.points, `income_bracket[${i + 1}].points`); });
  for (const k of Object.keys(f.factors)) int(f.factors[k], `factors.${k}`);
  int(f.checks.age_grade_tolerance, 'checks.age_grade_tolerance');
  int(f.checks.shared_bank_card_max_households, 'checks.shared_bank_card_max_households');
  return errors;
}

const str = (s) => '"' + String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
// Whole yuan as an integer, else the decimal as written (TOML reads 1500.5
// as a float; the server turns it into its shortest decimal text, exactly).
const moneyToml = (s) => {
  const t = String(s).trim();
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return str(t);  // refused by the server beside the field
  return !m[2] || /^0+$/.test(m[2]) ? m[1] : `${m[1]}.${m[2]}`;
};
const intToml = (s) => (/^-?\d+$/.test(String(s).trim()) ? String(s).trim() : str(String(s)));

// The form → TOML, in the order of data/policy-default.toml.
export function policyToml(f) {
  const out = [
    '# 资助政策（由“资助周期 → 资助政策”表单生成）。金额单位为元。',
    `school_year = ${str(f.school_year)}`,
    `reference_date = ${/^\d{4}-\d{2}-\d{2}$/.test(f.reference_date) ? f.reference_date : str(f.reference_date || '')}`,
    `direct_identification = ${f.direct_identification ? 'true' : 'false'}`,
  ];
  for (const l of f.levels) {
    out.push('', '[[level]]', `level = ${intToml(l.level)}`, `name = ${str(l.name)}`, `min_score = ${intToml(l.min_score)}`,
      `amount = ${moneyToml(l.amount)}`);
    const given = AMOUNT_KEYS.filter((k) => String(l.amounts[k] ?? '').trim());
    if (given.length) out.push(`amounts = { ${given.map((k) => `${k} = ${moneyToml(l.amounts[k])}`).join(', ')} }`);
  }
  for (const c of f.categories) {
    out.push('', '[[category]]', `code = ${str(c.code)}`, `name = ${str(c.name)}`, `match = ${str(c.match)}`,
      `points = ${intToml(c.points)}`);
    if (String(c.min_level ?? '') !== '') out.push(`min_level = ${intToml(c.min_level)}`);
  }
  for (const b of f.income_brackets) out.push('', '[[income_bracket]]', `below = ${moneyToml(b.below)}`, `points = ${intToml(b.points)}`);
  out.push('', '[factors]');
  for (const k of ['serious_illness', 'sudden_hardship', 'single_parent', 'siblings_in_school', 'siblings_min']) {
    out.push(`${k} = ${intToml(f.factors[k])}`);
  }
  out.push('', '[checks]', `age_grade_tolerance = ${intToml(f.checks.age_grade_tolerance)}`,
    `shared_bank_card_max_households = ${intToml(f.checks.shared_bank_card_max_households)}`,
    `blocking = [${f.checks.blocking.map(str).join(', ')}]`);
  out.push('', '[allocation]', `allow_downgrade = ${f.allow_downgrade ? 'true' : 'false'}`, '');
  return out.join('\n');
}

// The server's key for a fault ("资助政策: level[2].amount: 金额应为… (money
// must …)") → the message without the file and key, in Chinese only.
export function policyMessage(e) {
  return String(e.message).replace(/^资助政策: [^:]+: /, '').replace(/\s*\([^()]*\)\s*$/, '');
}
