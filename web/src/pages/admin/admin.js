// Helpers shared by the administration pages.
import { ElMessageBox } from 'element-plus';
import { request } from '../../api.js';

// A query string from the fields that are set (empty ones are left out, so
// the API applies no filter for them).
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

// The organisation tree from GET /org/tree's flat rows (parent first or not):
// roots are the nodes whose parent is outside the user's scope.
export function orgTree(items) {
  const byId = new Map(items.map((n) => [n.id, { ...n, children: [] }]));
  const roots = [];
  for (const n of byId.values()) {
    const parent = n.parent_id != null ? byId.get(n.parent_id) : null;
    if (parent) parent.children.push(n); else roots.push(n);
  }
  return roots;
}

export const ORG_KIND = { province: '省', city: '市', county: '区县', school: '学校' };
export const SCHOOL_STAGE = { primary: '小学', junior: '初级中学', nine_year: '九年一贯制' };

// A confirmation before a destructive or consequential action; resolves to
// true when confirmed, false when cancelled.
export async function confirmAction(message, title, confirmButtonText, type = 'warning') {
  try {
    await ElMessageBox.confirm(message, title, { confirmButtonText, cancelButtonText: '取消', type });
    return true;
  } catch {
    return false;
  }
}

// Today in China on the server's clock (api.js).
export { chinaToday } from '../../api.js';

// Saves a file answer (a raw fetch Response) under the name the server gives
// in Content-Disposition; returns the name and the size in bytes.
export async function saveFile(res, fallbackName) {
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') || '';
  const m = cd.match(/filename="?([^";]+)"?/i);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
  return { name, size: blob.size };
}

// Downloads a list's .xlsx export (GET path with the list's filters, sent
// with the session like any API call) and saves it; resolves to a line for
// the page ("students-….xlsx（123 条，45 KB）"). Errors are thrown as
// api.js throws them (message, field), for the page to show.
export async function downloadExport(path, fallbackName) {
  const res = await request('GET', path, { raw: true });
  const rows = res.headers.get('x-rows');
  const file = await saveFile(res, fallbackName);
  return `${file.name}（${rows ?? '?'} 条，${Math.ceil(file.size / 1024)} KB）`;
}
