// Starts a real `zizhu demo` server on a temporary database and gives the API
// tests a small client: a cookie jar per user, the CSRF header on every
// state-changing request, and TOTP codes computed from the enrolled secret
// (RFC 6238, as an authenticator app would).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ZIZHU = process.env.ZIZHU || new URL('../../build/zizhu', import.meta.url).pathname;

// Starts the demo on a fresh database. `args` go to `zizhu demo` (e.g. shorter
// session timeouts). Resolves when the server prints its address.
export async function startServer(args = []) {
  const dir = mkdtempSync(join(tmpdir(), 'zizhu-api-'));
  const db = join(dir, 'demo.db');
  const credentials = join(dir, 'credentials.json');
  const keyFile = join(dir, 'demo.keys');
  // A small county unless the caller sizes it (bench/identify_job_steps.mjs).
  const size = args.includes('--students') ? [] : ['--small'];
  const child = spawn(ZIZHU, ['demo', '--db', db, '--key-file', keyFile, '--listen', '127.0.0.1:0', ...size,
    '--skip-first-change', '--credentials-out', credentials,
    // Tests log in far more often than people: a high login rate unless the
    // test sets its own.
    ...(args.includes('--login-rate-per-minute') ? [] : ['--login-rate-per-minute', '600']), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120000);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/listening on (http:\/\/[0-9.]+:[0-9]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => { output += c.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${output}`)); });
  });
  const creds = JSON.parse(readFileSync(credentials, 'utf8'));
  return {
    base, db, dir, creds, child, keyFile,
    output: () => output,
    // Stops the server with SIGTERM (a graceful stop); the folder is removed
    // unless `keep` is set (then call cleanup()).
    async stop({ keep = false } = {}) {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
    async cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`bad base32: ${ch}`);
    value = (value << 5) | i; bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

export function totp(secret, atMs = Date.now(), stepOffset = 0) {
  const counter = Math.floor(atMs / 1000 / 30) + stepOffset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(code).padStart(6, '0');
}

// The server refuses a TOTP step once used (a replayed code), as it should;
// tests that log one user in several times pick the next unused step within
// the ±1 window the server accepts, and wait for a new step when none is left.
// `offsetMs` is the server's clock minus the real one (--test-clock): the
// steps used are remembered by their number, so one record serves both.
const lastStep = new Map();
export async function freshTotp(user, offsetMs = 0) {
  for (;;) {
    const at = Date.now() + offsetMs;
    const now = Math.floor(at / 1000 / 30);
    const used = lastStep.get(user.username) ?? -Infinity;
    for (const offset of [-1, 0, 1]) {
      if (now + offset > used) {
        lastStep.set(user.username, now + offset);
        return totp(user.totp_secret, at, offset);
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// One user's browser: cookies and the CSRF token it was given at login.
export class Client {
  constructor(base) { this.base = base; this.cookies = new Map(); this.csrf = ''; }

  async request(method, path, { json, body, headers = {}, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (json !== undefined) { h['content-type'] = 'application/json'; body = JSON.stringify(json); }
    if (csrf && this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    let res;
    try {
      res = await fetch(this.base + path, { method, headers: h, body, redirect: 'manual' });
    } catch (e) {
      throw new Error(`${method} ${path}: ${e.message}: ${e.cause?.code ?? ''} ${e.cause?.message ?? ''}`);
    }
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq); const value = pair.slice(eq + 1);
      if (/max-age=0/i.test(c) || value === '') this.cookies.delete(name); else this.cookies.set(name, value);
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    return { status: res.status, data, headers: res.headers, text };
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, json, opts = {}) { return this.request('POST', path, { ...opts, json }); }
  put(path, json, opts = {}) { return this.request('PUT', path, { ...opts, json }); }

  // Logs in and passes the second factor when the account has one.
  async login(user) {
    const r = await this.post('/api/v1/auth/login', { username: user.username, password: user.password });
    if (r.status !== 200) throw new Error(`login ${user.username}: ${r.status} ${r.text}`);
    this.csrf = r.data.csrf_token;
    if (r.data.stage === 'totp') {
      const v = await this.post('/api/v1/auth/totp/verify', { code: await freshTotp(user) });
      if (v.status !== 200) throw new Error(`totp ${user.username}: ${v.status} ${v.text}`);
      return v;
    }
    return r;
  }
}

// The credentials file lists users by a key such as "county_officer" or
// "school_officer@other"; this finds one.
export function user(server, key) {
  const u = server.creds.users.find((x) => x.key === key);
  if (!u) throw new Error(`no demo user ${key}; have ${server.creds.users.map((x) => x.key).join(', ')}`);
  return u;
}
