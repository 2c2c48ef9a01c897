// The import templates (GET /api/v1/import-templates/{roster,dept-list}):
// who may download them, that the XLSX is a real workbook whose headers the
// importers accept (the empty template uploads without a missing column), and
// that the CSV variant, filled in, imports.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, startServer, user } from './harness.mjs';

let server;
const c = {};
before(async () => {
  server = await startServer();
  for (const key of ['county_officer', 'school_officer', 'guardian', 'finance']) {
    c[key] = new Client(server.base);
    await c[key].login(user(server, key));
  }
});
after(async () => { await server?.stop(); });

// The bytes of a download (Client.request decodes text).
async function bytes(client, path) {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const r = await fetch(server.base + path, { headers: { cookie } });
  return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'),
    body: Buffer.from(await r.arrayBuffer()) };
}

const ROSTER = ['学籍号', '姓名', '身份证号', '性别', '出生日期', '学校标识码', '年级', '班级', '是否寄宿', '监护人姓名',
  '监护人身份证号', '银行卡号'];
const LIST = ['身份证号', '姓名', '类别', '有效期起', '有效期止', '来源部门'];

test('templates: permissions and formats', async () => {
  for (const [path, allowed, denied] of [
    ['/api/v1/import-templates/roster', ['county_officer', 'school_officer'], ['guardian', 'finance']],
    ['/api/v1/import-templates/dept-list', ['county_officer'], ['school_officer', 'guardian', 'finance']],
  ]) {
    for (const who of denied) assert.equal((await c[who].get(path)).status, 403, `${who} ${path}`);
    for (const who of allowed) {
      const x = await bytes(c[who], path);
      assert.equal(x.status, 200, `${who} ${path}`);
      assert.match(x.type, /spreadsheetml/);
      assert.match(x.disposition, /attachment; filename=".*-template\.xlsx"/);
      assert.equal(x.body.subarray(0, 2).toString(), 'PK', 'a zip (xlsx) file');
    }
    const csv = await bytes(c[allowed[0]], path + '?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.disposition, /\.csv"/);
    assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
    const json = await c[allowed[0]].get(path + '?format=json');
    assert.equal(json.status, 200);
    const names = json.data.items.map((x) => x.name);
    assert.equal(csv.body.subarray(3).toString(), names.join(',') + '\r\n');
    assert.deepEqual(names, path.endsWith('roster') ? ROSTER : LIST);
    assert.equal((await c[allowed[0]].get(path + '?format=pdf')).status, 400);
  }
  const roster = await c.county_officer.get('/api/v1/import-templates/roster?format=json');
  assert.deepEqual(roster.data.items.filter((x) => x.required).map((x) => x.name), ['学籍号', '姓名', '学校标识码', '年级']);
});

test('templates: the importers accept them', async () => {
  const county = c.county_officer;
  const made = await county.post('/api/v1/cycles', { school_year: '2027-2028' });
  assert.equal(made.status, 200, made.text);
  const list = await bytes(county, '/api/v1/import-templates/dept-list');
  const up = await county.request('POST', `/api/v1/cycles/${made.data.id}/lists?source=${encodeURIComponent('民政局')}`,
    { body: list.body, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.data.accepted, 0);
  assert.equal(up.data.rejected, 0);

  // The CSV template with one row in it: a pupil the roster already has, at
  // the officer's own school (the importer compares and leaves it unchanged
  // or updates it; either way the columns were read).
  const o = server.creds.objects;
  const so = c.school_officer;
  const s = await so.get(`/api/v1/students/${o.student_own}`);
  assert.equal(s.status, 200, s.text);
  const csv = await bytes(so, '/api/v1/import-templates/roster?format=csv');
  const row = ROSTER.map((h) => ({ 学籍号: 'G110101201501011234', 姓名: '模板测试', 学校标识码: o.school_own, 年级: '3' })[h] ?? '');
  const body = Buffer.concat([csv.body, Buffer.from(row.join(',') + '\r\n')]);
  const r = await so.request('POST', '/api/v1/students/import', { body, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.rows_read, 1, r.text);
  assert.equal(r.data.inserted + r.data.updated + r.data.unchanged + r.data.rejected, 1, r.text);
});
