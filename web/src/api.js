// The HTTP API (api/openapi.json) on the same origin: the session cookie goes
// with every request, state-changing requests carry the anti-CSRF token
// (docs/server.md), and an error answer becomes an ApiError carrying the
// API's code, message and the field it concerns.
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `请求失败（${status}）`);
    this.status = status;
    this.code = error?.code || '';
    this.field = error?.field || '';
  }
}

let csrfToken = '';

export function setCsrf(token) { csrfToken = token || ''; }

// After a reload the token is in the readable zizhu_csrf cookie.
export function csrfFromCookie() {
  const m = document.cookie.match(/(?:^|;\s*)zizhu_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}

function csrf() { return csrfToken || csrfFromCookie(); }

// Called when the server says the session is gone (401 outside the login).
let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// The server's clock, from the X-Zizhu-Now-Ms header of every API answer:
// dates the pages judge ("today", "overdue", a default date) are the
// server's, not the device's (a phone's clock may be wrong; a test server's
// is moved on purpose).
let serverOffsetMs = 0;
function noteServerClock(res) {
  const now = Number(res.headers.get('x-zizhu-now-ms'));
  if (now > 0) serverOffsetMs = now - Date.now();
}
export function serverNowMs() { return Date.now() + serverOffsetMs; }
// Today in China (YYYY-MM-DD) on the server's clock, whatever the device's zone.
export function chinaToday() {
  return new Date(serverNowMs() + 8 * 3600e3).toISOString().slice(0, 10);
}

export async function request(method, path, { json, body, headers = {}, raw = false } = {}) {
  const h = { ...headers };
  if (json !== undefined) { h['content-type'] = 'application/json'; body = JSON.stringify(json); }
  if (method !== 'GET' && csrf()) h['x-csrf-token'] = csrf();
  let res;
  try {
    res = await fetch('/api/v1' + path, { method, headers: h, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, { message: '无法连接服务器，请检查网络后重试' });
  }
  noteServerClock(res);
  if (raw && res.ok) return res;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/auth/')) onUnauthorized();
    throw new ApiError(res.status, data?.error);
  }
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, json = {}) => request('POST', path, { json }),
  put: (path, json = {}) => request('PUT', path, { json }),
  // A file's bytes as the request body (imports).
  upload: (path, file) => request('POST', path, {
    body: file, headers: { 'content-type': 'application/octet-stream' },
  }),
};

// Money in the API is a decimal string of yuan ("1250.00"); shown with
// thousands separators, never through floating point.
export function yuan(s) {
  if (s === null || s === undefined || s === '') return '—';
  const neg = String(s).startsWith('-');
  const [int, frac = '00'] = String(s).replace('-', '').split('.');
  return (neg ? '-' : '') + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + frac.padEnd(2, '0');
}

export function fen(n) {
  if (n === null || n === undefined) return '—';
  const neg = n < 0; const a = Math.abs(n);
  return yuan((neg ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0'));
}

export function dateTime(ms) {
  if (!ms) return '—';
  const d = new Date(ms + 8 * 3600e3);  // Beijing time, whatever the browser's zone
  return d.toISOString().slice(0, 16).replace('T', ' ');
}
