// The audit chain of a real server's database: actions through the API are
// recorded; `zizhu audit verify` passes on the untouched file and names the
// first bad record after the file is tampered with directly, as an attacker
// with write access to the disk (but not the key) would.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, startServer, user, ZIZHU } from './harness.mjs';

let server;
before(async () => {
  server = await startServer();
  const admin = new Client(server.base);
  await admin.login(user(server, 'sysadmin'));
  for (let i = 0; i < 3; i++) {
    const r = await admin.post('/api/v1/users', { username: `tamper${i}`, display_name: `审计测试${i}`, org_code: server.creds.county_code, roles: ['auditor'] });
    assert.equal(r.status, 200, r.text);
  }
  await server.stop({ keep: true });
});
after(async () => { await server?.cleanup(); });

function verify(db) {
  return spawnSync(ZIZHU, ['audit', 'verify', '--db', db, '--key-file', server.keyFile], { encoding: 'utf8' });
}

function sql(db, statement) {
  execFileSync('sqlite3', [db, statement]);
}

function copy(name) {
  const db = join(server.dir, `${name}.db`);
  copyFileSync(server.db, db);
  return db;
}

test('the untouched chain verifies', () => {
  const r = verify(server.db);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

const attacks = {
  changed: "UPDATE audit_log SET outcome = 'denied' WHERE seq = (SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 3)",
  removed: 'DELETE FROM audit_log WHERE seq = (SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 3)',
  truncated: 'DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)',
  inserted: "INSERT INTO audit_log SELECT seq + 1000000, at_ms, user_id, username, roles, org_id, org_path, ip, user_agent, action, object_type, object_id, outcome, summary, key_id, prev_mac, mac FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
  reordered: 'UPDATE audit_log SET seq = -1 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = -1',
};

for (const [name, statement] of Object.entries(attacks)) {
  test(`a record ${name} in the file is found`, () => {
    const db = copy(name);
    // The attacker first drops the triggers that refuse updates and deletes.
    sql(db, 'DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    sql(db, statement);
    const r = verify(db);
    assert.equal(r.status, 1, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout + r.stderr, /seq|记录/);
  });
}

test('the program itself refuses to update or delete an audit record', () => {
  const db = copy('trigger');
  const r = spawnSync('sqlite3', [db, 'DELETE FROM audit_log WHERE seq = 1'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /append-only/);
});
