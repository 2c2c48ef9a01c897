// The DuckDB peer of `zizhu identify`: the same job (../../../shared/spec/identify.md)
// written as SQL, used to cross-check the C++ engine and to measure it.
//
//   node bench/duckdb/run.mjs --policy P.toml --students F --lists F[,F...]
//        [--applications F] [--history F] [--budgets F] --out DIR [--threads N]
//
// What JavaScript does here: read the arguments, read the policy (a small TOML
// subset, enough for policy-default.toml), read each file's header line to map
// column names, and check that required columns exist (exit 2 otherwise). All the
// work on rows (parsing, validation and rejects, joins, flags, scoring, levels,
// allocation, ordering and the output lines) is SQL run by DuckDB: identify.sql.
//
// Not covered (the C++ engine covers them; the generated data never needs them):
// - XLSX input and GB18030-encoded CSV: only UTF-8 CSV (with or without BOM).
// - Zero-length lines inside a file: DuckDB's CSV reader drops them, so the row
//   numbers in rejects.csv after such a line would be one short. Rows of empty
//   fields (`,,,`) are handled.
// - Quoted fields holding a line break, together with short rows: DuckDB's
//   parallel reader refuses null_padding with quoted new lines.
// - A full policy validation: only the keys the run needs are checked.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function die(msg) {
  process.stderr.write(`zizhu-duckdb: ${msg}\n`);
  process.exit(2);
}

// ---- arguments ----------------------------------------------------------
const args = {};
{
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a[i]);
    if (!m) die(`unknown argument ${a[i]}`);
    args[m[1]] = m[2] !== undefined ? m[2] : a[++i];
  }
}
for (const k of ['policy', 'students', 'lists', 'out']) if (!args[k]) die(`--${k} is required`);

// ---- policy (TOML subset) -------------------------------------------------
// Tables, arrays of tables, dotted sub-tables ([level.amounts]), key = value with
// strings, integers, decimals (kept as text for exact money), booleans, dates,
// arrays of scalars and inline tables. Comments with #.
function parseToml(text, file) {
  const root = {};
  let cur = root;
  const lines = text.split(/\r?\n/);
  const stripComment = (s) => {
    let inStr = false;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '"' && s[i - 1] !== '\\') inStr = !inStr;
      else if (s[i] === '#' && !inStr) return s.slice(0, i);
    }
    return s;
  };
  const parseValue = (s) => {
    s = s.trim();
    if (s.startsWith('"')) return JSON.parse(s);
    if (s.startsWith('[')) {
      const inner = s.slice(1, -1).trim();
      if (!inner) return [];
      return splitTop(inner).map(parseValue);
    }
    if (s.startsWith('{')) {
      const o = {};
      const inner = s.slice(1, -1).trim();
      if (inner) for (const kv of splitTop(inner)) {
        const eq = kv.indexOf('=');
        o[kv.slice(0, eq).trim()] = parseValue(kv.slice(eq + 1));
      }
      return o;
    }
    if (s === 'true') return true;
    if (s === 'false') return false;
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return { date: s };
    if (/^[+-]?[0-9_]+(\.[0-9_]+)?$/.test(s)) return { num: s.replace(/_/g, '') };
    die(`${file}: cannot read value ${s}`);
  };
  const splitTop = (s) => {
    const out = [];
    let depth = 0, inStr = false, start = 0;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (ch === '"' && s[i - 1] !== '\\') inStr = !inStr;
      if (inStr) continue;
      if (ch === '[' || ch === '{') depth++;
      if (ch === ']' || ch === '}') depth--;
      if (ch === ',' && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
    }
    if (s.slice(start).trim()) out.push(s.slice(start));
    return out;
  };
  // Multi-line arrays: join lines until brackets balance.
  for (let i = 0; i < lines.length; i++) {
    let line = stripComment(lines[i]).trim();
    if (!line) continue;
    let m;
    if ((m = /^\[\[([^\]]+)\]\]$/.exec(line))) {
      const name = m[1].trim();
      root[name] = root[name] || [];
      cur = {};
      root[name].push(cur);
    } else if ((m = /^\[([^\]]+)\]$/.exec(line))) {
      const parts = m[1].trim().split('.');
      let t = root;
      for (const p of parts) {
        let next = t[p];
        if (Array.isArray(next)) next = next[next.length - 1];
        if (next === undefined) { next = {}; t[p] = next; }
        t = next;
      }
      cur = t;
    } else {
      const eq = line.indexOf('=');
      if (eq < 0) die(`${file}: cannot read line ${i + 1}`);
      const key = line.slice(0, eq).trim().replace(/^"|"$/g, '');
      let val = line.slice(eq + 1).trim();
      const depth = (s) => (s.match(/[[{]/g) || []).length - (s.match(/[\]}]/g) || []).length;
      while (depth(val) > 0 && i + 1 < lines.length) val += ' ' + stripComment(lines[++i]).trim();
      cur[key] = parseValue(val.replace(/,\s*([\]}])/g, '$1'));
    }
  }
  return root;
}

function moneyFen(v, what) {
  const s = typeof v === 'object' && v && 'num' in v ? v.num : String(v);
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) die(`${args.policy}: ${what} is not an amount of money`);
  return BigInt(m[1]) * 100n + BigInt((m[2] || '').padEnd(2, '0'));
}
function int(v, what) {
  const s = typeof v === 'object' && v && 'num' in v ? v.num : undefined;
  if (s === undefined || !/^[+-]?\d+$/.test(s)) die(`${args.policy}: ${what} must be an integer`);
  return Number(s);
}
function need(obj, key, where) {
  if (obj === undefined || obj[key] === undefined) die(`${args.policy}: missing key ${where}${key}`);
  return obj[key];
}

let policyText;
try { policyText = fs.readFileSync(args.policy, 'utf8'); } catch { die(`${args.policy}: cannot read the policy file`); }
const pol = parseToml(policyText, args.policy);
const schoolYear = need(pol, 'school_year', '');
const refRaw = need(pol, 'reference_date', '');
const refDate = typeof refRaw === 'object' ? refRaw.date : refRaw;
if (!/^\d{4}-\d{2}-\d{2}$/.test(refDate || '')) die(`${args.policy}: reference_date is not a date`);
const directId = need(pol, 'direct_identification', '') === true;
const levels = need(pol, 'level', '').map((l, i) => ({
  lv: int(need(l, 'level', `level[${i}].`), 'level'),
  minScore: int(need(l, 'min_score', `level[${i}].`), 'min_score'),
  amount: moneyFen(need(l, 'amount', `level[${i}].`), 'amount'),
  amounts: l.amounts || {},
})).sort((a, b) => a.lv - b.lv);
if (new Set(levels.map((l) => l.lv)).size !== levels.length) die(`${args.policy}: duplicate level number`);
const categories = need(pol, 'category', '').map((c, i) => ({
  ord: i + 1,
  code: need(c, 'code', `category[${i}].`),
  name: need(c, 'name', `category[${i}].`),
  household: need(c, 'match', `category[${i}].`) === 'household',
  points: int(need(c, 'points', `category[${i}].`), 'points'),
  minLevel: c.min_level === undefined ? null : int(c.min_level, 'min_level'),
}));
const brackets = need(pol, 'income_bracket', '').map((b) => ({
  below: moneyFen(need(b, 'below', 'income_bracket.'), 'below'),
  points: int(need(b, 'points', 'income_bracket.'), 'points'),
}));
const factors = need(pol, 'factors', '');
const checks = need(pol, 'checks', '');
const allocation = need(pol, 'allocation', '');
const fp = (k) => int(need(factors, k, 'factors.'), k);
const F = {
  illness: fp('serious_illness'), hardship: fp('sudden_hardship'), single: fp('single_parent'),
  siblings: fp('siblings_in_school'), siblingsMin: fp('siblings_min'),
};
const tolerance = int(need(checks, 'age_grade_tolerance', 'checks.'), 'age_grade_tolerance');
const sharedMax = int(need(checks, 'shared_bank_card_max_households', 'checks.'), 'shared_bank_card_max_households');
const blocking = need(checks, 'blocking', 'checks.');
const allowDowngrade = need(allocation, 'allow_downgrade', 'allocation.') === true;

// ---- input headers ------------------------------------------------------
// Each file kind: its columns in table order as [key, Chinese name].
const KINDS = {
  students: [['student_no', '学籍号'], ['name', '姓名'], ['id_number', '身份证号'], ['gender', '性别'],
    ['birth_date', '出生日期'], ['school_code', '学校标识码'], ['grade', '年级'], ['class', '班级'],
    ['boarding', '是否寄宿'], ['guardian_name', '监护人姓名'], ['guardian_id_number', '监护人身份证号'],
    ['bank_card', '银行卡号']],
  lists: [['id_number', '身份证号'], ['name', '姓名'], ['category', '类别'], ['valid_from', '有效期起'],
    ['valid_to', '有效期止'], ['source', '来源部门']],
  applications: [['student_no', '学籍号'], ['household_size', '家庭人口'], ['household_income', '家庭年收入'],
    ['claimed_categories', '申报类别'], ['serious_illness', '家庭成员重病'], ['sudden_hardship', '突发变故'],
    ['single_parent', '单亲家庭'], ['siblings_in_school', '在校子女数']],
  history: [['student_no', '学籍号'], ['id_number', '身份证号'], ['school_code', '学校标识码'],
    ['school_year', '学年'], ['program', '项目'], ['amount', '金额']],
  budgets: [['school_code', '学校标识码'], ['budget', '预算金额']],
};
const REQUIRED = {
  students: ['student_no', 'name', 'school_code', 'grade'],
  lists: ['id_number', 'category'],
  applications: ['student_no', 'household_size', 'household_income'],
  history: ['school_code', 'school_year'],
  budgets: ['school_code', 'budget'],
};

const WS = /^[ \t\r\n\v\f\u3000]+|[ \t\r\n\v\f\u3000]+$/g;

// Reads the header record (only the header) to map names to column numbers.
function readHeader(file) {
  if (/\.xlsx$/i.test(file)) die(`${file}: XLSX is not supported by the DuckDB peer`);
  let fd;
  try { fd = fs.openSync(file, 'r'); } catch { die(`${file}: cannot open the file`); }
  const buf = Buffer.alloc(1 << 16);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  let text = buf.subarray(0, n).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const fields = [];
  let i = 0, field = '', quoted = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false; }
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { fields.push(field); field = ''; }
    else if (ch === '\n') break;
    else field += ch;
  }
  fields.push(field);
  if (n === 0) die(`${file}: the file is empty`);
  return fields.map((f) => f.replace(WS, ''));
}

function mapColumns(kind, file) {
  const header = readHeader(file);
  const cols = {};
  for (const [key, zh] of KINDS[kind]) {
    const idx = header.findIndex((h) => h === zh || h.toLowerCase() === key);
    if (idx >= 0) cols[key] = { idx, header: header[idx] };
  }
  for (const key of REQUIRED[kind]) {
    if (!cols[key]) die(`${file}: required column ${KINDS[kind].find((k) => k[0] === key)[1]} (${key}) is missing`);
  }
  if (kind === 'history' && !cols.student_no && !cols.id_number) die(`${file}: needs a 学籍号 or 身份证号 column`);
  return { header, cols };
}

const sq = (s) => `'${String(s).replace(/'/g, "''")}'`;

const inputs = [];  // { kind, file, fidx }
inputs.push({ kind: 'students', file: args.students });
for (const f of args.lists.split(',')) inputs.push({ kind: 'lists', file: f });
if (args.applications) inputs.push({ kind: 'applications', file: args.applications });
if (args.history) inputs.push({ kind: 'history', file: args.history });
if (args.budgets) inputs.push({ kind: 'budgets', file: args.budgets });
inputs.forEach((x, i) => { x.fidx = i; Object.assign(x, mapColumns(x.kind, x.file)); });

// Each input is read once by DuckDB's CSV reader with the columns and types
// given (no sniffing) into a table raw_<fidx>: the row number (WITH
// ORDINALITY: the scan keeps the file's order, which makes it one thread, but
// a parallel scan's rowids were measured not to follow the file) and only the
// columns the run uses, as read. Blank records (every field empty after
// trimming) are dropped there; they still count in the row numbers. Trimming
// is left to the parallel statements that read raw_<fidx>.
const USED = {
  students: ['student_no', 'name', 'id_number', 'gender', 'birth_date', 'school_code', 'grade', 'boarding',
    'guardian_id_number', 'bank_card'],
  lists: ['id_number', 'category', 'valid_from', 'valid_to'],
  applications: KINDS.applications.map(([k]) => k),
  history: ['student_no', 'id_number', 'school_code', 'school_year'],
  budgets: ['school_code', 'budget'],
};
function rawTable(x) {
  const n = x.header.length;
  const colsDef = Array.from({ length: n }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const sel = [`(ordinality + 1)::BIGINT AS rn`];
  for (const key of USED[x.kind]) if (x.cols[key]) sel.push(`c${x.cols[key].idx} AS ${key}`);
  // AND stops at the first non-empty field: one trim per row, usually.
  const blank = Array.from({ length: n }, (_, i) => `tz(c${i}) = ''`).join(' AND ');
  return `CREATE TABLE raw_${x.fidx} AS SELECT ${sel.join(', ')} FROM read_csv(${sq(x.file)}, ` +
    `columns={${colsDef}}, header=true, auto_detect=false, delim=',', quote='"', escape='"', ` +
    `null_padding=true, strict_mode=false) WITH ORDINALITY WHERE NOT (${blank})`;
}
// The non-blank rows of an input with their row numbers, trimmed (in
// parallel, unlike the ordered scan); '' for an absent column.
function rawSelect(x) {
  const sel = [`${x.fidx} AS fidx`, 'rn'];
  for (const key of USED[x.kind]) sel.push(x.cols[key] ? `tz(${key}) AS ${key}` : `'' AS ${key}`);
  return `SELECT ${sel.join(', ')} FROM raw_${x.fidx}`;
}

// ---- SQL generation of the policy-dependent pieces --------------------------
const fenLit = (f) => `${f}::BIGINT`;
const amountFor = (l) => {
  // amount of level l for (grade, boarding): per stage and boarding where given.
  const a = l.amounts;
  const pick = (k) => (a[k] !== undefined ? fenLit(moneyFen(a[k], `amounts.${k}`)) : fenLit(l.amount));
  return `CASE WHEN grade <= 6 THEN (CASE WHEN boarding THEN ${pick('primary_boarding')} ELSE ${pick('primary_day')} END) ` +
    `ELSE (CASE WHEN boarding THEN ${pick('junior_boarding')} ELSE ${pick('junior_day')} END) END`;
};
const macros = [];
macros.push(`CREATE MACRO income_points(size, income) AS CASE ${brackets.map((b) =>
  `WHEN ${fenLit(b.below)} * size > income THEN ${b.points}`).join(' ')} ELSE 0 END`);
macros.push(`CREATE MACRO score_level(score) AS CASE ${levels.map((l) =>
  `WHEN score >= ${l.minScore} THEN ${l.lv}`).join(' ')} ELSE NULL END`);
macros.push(`CREATE MACRO level_options(lvl, grade, boarding) AS list_filter([${levels.map((l) =>
  `{'lv': ${l.lv}, 'amt': ${amountFor(l)}}`).join(', ')}], lambda o: ${allowDowngrade ? 'o.lv >= lvl' : 'o.lv = lvl'})`);
macros.push(`CREATE MACRO factor_points(ill, hard, single, sib) AS ` +
  `(CASE WHEN ill THEN ${F.illness} ELSE 0 END) + (CASE WHEN hard THEN ${F.hardship} ELSE 0 END) + ` +
  `(CASE WHEN single THEN ${F.single} ELSE 0 END) + (CASE WHEN coalesce(sib, 0) >= ${F.siblingsMin} THEN ${F.siblings} ELSE 0 END)`);
// Weighted sum of the 17 ID digits (GB 11643), from the 17 digits as a BIGINT:
// digit i (1-based) is (n // 10^(17-i)) % 10. Integer arithmetic, vectorised,
// instead of 17 substrings per ID.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
macros.push(`CREATE MACRO id_sum(n) AS (${W.map((w, i) =>
  `((n // ${10n ** BigInt(16 - i)}) % 10) * ${w}`).join(' + ')})`);
// Luhn over a card of up to 19 digits read as a UBIGINT c (leading zeros add
// nothing): digit p from the right is (c // 10^(p-1)) % 10, doubled at even p
// (a doubled digit above 9 counts its digit sum: 2d - 9).
const luhnTerms = [];
for (let p = 1; p <= 19; p++) {
  const d = `((c // ${10n ** BigInt(p - 1)}::UBIGINT) % 10)`;
  luhnTerms.push(p % 2 === 1 ? d : `(${d} * 2 - CASE WHEN ${d} >= 5 THEN 9 ELSE 0 END)`);
}
macros.push(`CREATE MACRO luhn_sum(c) AS (${luhnTerms.join(' + ')})`);

// Flags, in byte order of their codes, built by concat_ws over booleans.
const FLAG_CODES = ['AGE_GRADE', 'BANK_CARD_LUHN', 'CLAIM_UNVERIFIED', 'DOWNGRADED', 'DUP_ENROLLMENT',
  'DUP_FUNDING', 'GENDER_MISMATCH', 'ID_INVALID', 'ID_MISMATCH', 'LIST_EXPIRED', 'NOT_ENROLLED',
  'NO_BUDGET', 'SHARED_BANK_CARD'];
const byteCmp = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
FLAG_CODES.sort(byteCmp);
const flagCol = (code) => `f_${code.toLowerCase()}`;
const preFlags = FLAG_CODES.filter((c) => !['DOWNGRADED', 'NO_BUDGET', 'NOT_ENROLLED'].includes(c));
const blockingExpr = blocking.filter((c) => preFlags.includes(c)).map(flagCol).join(' OR ') || 'false';

const levelCols = levels.map((l) => l.lv);

const vars = {
  REF_DATE: `DATE '${refDate}'`,
  REF_YMD: refDate.replace(/-/g, ''),
  REF_Y: String(Number(refDate.slice(0, 4))),
  REF_MD: String(Number(refDate.slice(5, 7)) * 100 + Number(refDate.slice(8, 10))),
  SCHOOL_YEAR: sq(schoolYear),
  DIRECT: directId ? 'true' : 'false',
  TOLERANCE: String(tolerance),
  SHARED_MAX: String(sharedMax),
  BLOCKING: blockingExpr,
  PRE_FLAG_LIST: preFlags.map((c) => `CASE WHEN ${flagCol(c)} THEN '${c}' END`).join(', '),
  ALL_FLAG_LIST: FLAG_CODES.filter((c) => c !== 'NOT_ENROLLED').map((c) => `CASE WHEN ${flagCol(c)} THEN '${c}' END`).join(', '),
  ANY_PRE_FLAG: preFlags.map(flagCol).join(' OR '),
  FUNDED_LN_COLS: levelCols.map((n) => `count(*) FILTER (WHERE status = 'FUNDED' AND out_level = ${n}) AS funded_l${n}`).join(', '),
  FUNDED_LN_OUT: levelCols.map((n) => `coalesce(funded_l${n}, 0)::VARCHAR`).join(` || ',' || `),
  FUNDED_LN_HDR: levelCols.map((n) => `funded_l${n}`).join(','),
  STUDENTS_RAW: rawSelect(inputs[0]),
  LISTS_RAW: inputs.filter((x) => x.kind === 'lists').map(rawSelect).join(' UNION ALL '),
  APPS_RAW: inputs.find((x) => x.kind === 'applications') ? rawSelect(inputs.find((x) => x.kind === 'applications'))
    : `SELECT 0 AS fidx, 0::BIGINT AS rn, ${USED.applications.map((k) => `'' AS ${k}`).join(', ')} WHERE false`,
  HISTORY_RAW: inputs.find((x) => x.kind === 'history') ? rawSelect(inputs.find((x) => x.kind === 'history'))
    : `SELECT 0 AS fidx, 0::BIGINT AS rn, ${USED.history.map((k) => `'' AS ${k}`).join(', ')} WHERE false`,
  BUDGETS_RAW: inputs.find((x) => x.kind === 'budgets') ? rawSelect(inputs.find((x) => x.kind === 'budgets'))
    : `SELECT 0 AS fidx, 0::BIGINT AS rn, ${USED.budgets.map((k) => `'' AS ${k}`).join(', ')} WHERE false`,
  DROP_LISTS_RAW: inputs.filter((x) => x.kind === 'lists').map((x) => `DROP TABLE raw_${x.fidx}`).join(';\n'),
  OUT_RESULTS: sq(path.join(args.out, 'results.csv')),
  OUT_SCHOOLS: sq(path.join(args.out, 'schools.csv')),
  OUT_REJECTS: sq(path.join(args.out, 'rejects.csv')),
};

// ---- run ----------------------------------------------------------------------
const threads = args.threads || '2';
// DUCKDB_MEMORY_LIMIT (e.g. 12GB) caps DuckDB's memory on a shared machine
// (its default is 80% of RAM; at 10 million students it grew past 18 GB);
// beyond it DuckDB spills to DUCKDB_TEMP_DIRECTORY (default: its own choice).
const config = { threads: String(threads) };
if (process.env.DUCKDB_MEMORY_LIMIT) config.memory_limit = process.env.DUCKDB_MEMORY_LIMIT;
if (process.env.DUCKDB_TEMP_DIRECTORY) config.temp_directory = process.env.DUCKDB_TEMP_DIRECTORY;
const instance = await DuckDBInstance.create(':memory:', config);
const con = await instance.connect();

const setup = [];
setup.push(`CREATE TABLE files (fidx INTEGER, name VARCHAR)`);
setup.push(`INSERT INTO files VALUES ${inputs.map((x) => `(${x.fidx}, ${sq(x.file)})`).join(', ')}`);
setup.push(`CREATE TABLE colname (fidx INTEGER, key VARCHAR, header VARCHAR)`);
const colRows = [];
for (const x of inputs) for (const [key, zh] of KINDS[x.kind]) colRows.push(`(${x.fidx}, ${sq(key)}, ${sq(x.cols[key] ? x.cols[key].header : zh)})`);
colRows.push(`(-1, '', '')`);
setup.push(`INSERT INTO colname VALUES ${colRows.join(', ')}`);
setup.push(`CREATE TABLE pol_category (ord INTEGER, code VARCHAR, name VARCHAR, household BOOLEAN, points INTEGER, min_level INTEGER)`);
setup.push(`INSERT INTO pol_category VALUES ${categories.map((c) =>
  `(${c.ord}, ${sq(c.code)}, ${sq(c.name)}, ${c.household}, ${c.points}, ${c.minLevel === null ? 'NULL' : c.minLevel})`).join(', ')}`);
setup.push(`CREATE TABLE pol_level (lv INTEGER)`);
setup.push(`INSERT INTO pol_level VALUES ${levels.map((l) => `(${l.lv})`).join(', ')}`);

const prelude = fs.readFileSync(path.join(here, 'macros.sql'), 'utf8');
let body = fs.readFileSync(path.join(here, 'identify.sql'), 'utf8');
body = body.replace(/\$\{([A-Z_]+)\}/g, (m, k) => {
  if (!(k in vars)) die(`internal: no value for ${k}`);
  return vars[k];
});

// The raw tables are made first; identify.sql then turns insertion order off.
const statements = [...setup, ...splitSql(prelude), ...macros, ...inputs.map(rawTable), ...splitSql(body)];
// Statements are split on `;` at the end of a line (none of ours has one inside).
function splitSql(text) {
  return text.split(/;\s*\n/).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter((s) => s.length > 0);
}

fs.mkdirSync(args.out, { recursive: true });
// ZIZHU_DUCKDB_VERBOSE=1 prints each statement's time on stderr;
// ZIZHU_DUCKDB_PROFILE=DIR writes DuckDB's profile (operator tree with times
// and cardinalities) of statement N to DIR/NNN.txt.
const verbose = process.env.ZIZHU_DUCKDB_VERBOSE === '1';
const profileDir = process.env.ZIZHU_DUCKDB_PROFILE;
if (profileDir) {
  fs.mkdirSync(profileDir, { recursive: true });
  await con.run(`PRAGMA enable_profiling='query_tree'`);
}
for (const [n, st] of statements.entries()) {
  const t0 = Date.now();
  try {
    if (profileDir) await con.run(`SET profiling_output=${sq(path.join(profileDir, String(n).padStart(3, '0') + '.txt'))}`);
    await con.run(st);
  } catch (e) {
    process.stderr.write(`zizhu-duckdb: SQL failed: ${e.message}\n--- statement:\n${st.slice(0, 2000)}\n`);
    process.exit(1);
  }
  if (verbose) process.stderr.write(`${Date.now() - t0} ms  ${st.slice(0, 70).replace(/\s+/g, ' ')}\n`);
}
