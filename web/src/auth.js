// The signed-in user, as GET /api/v1/auth/me and the login answer give it:
// roles, permissions (from the server's role matrix) and the login stage.
import { reactive } from 'vue';
import { api, csrfFromCookie, setCsrf } from './api.js';

export const auth = reactive({
  user: null,      // { username, display_name, org_name, roles, permissions, ... }
  stage: '',       // ok | totp | change_password | totp_enrol
  checked: false,  // /auth/me asked once this page load
});

export const ROLE_LABELS = {
  sysadmin: '系统管理员', auditor: '安全审计员', county_officer: '区县资助专干', finance: '财务',
  school_officer: '学校资助专干', reviewer: '评审小组成员', guardian: '监护人',
};

export function can(permission) {
  return !!auth.user && auth.stage === 'ok' && (auth.user.permissions || []).includes(permission);
}

export function setSession(answer) {
  if (answer?.csrf_token) setCsrf(answer.csrf_token);
  auth.user = answer?.user || null;
  auth.stage = answer?.stage || '';
}

// Asks the server who is signed in — only when this browser holds a session
// cookie, so that a visitor's first page makes no failing request.
export async function loadSession() {
  if (auth.checked) return;
  auth.checked = true;
  if (!csrfFromCookie()) return;
  try {
    setSession(await api.get('/auth/me'));
  } catch {
    setSession(null);
  }
}

export async function logout() {
  try { await api.post('/auth/logout'); } catch { /* the session is gone either way */ }
  setSession(null);
  setCsrf('');
}
