// Pages of administration and follow-up: organisation and users, schools and
// students (masked, audited reveal), follow-ups, feedback, the audit log.
// Each route names the permission it needs (router.js checks it; the API
// checks it again, and the data scope).
import { markRaw } from 'vue';
import { ChatLineSquare, School, Setting } from '@element-plus/icons-vue';

export const adminRoutes = [
  { path: 'admin/users', component: () => import('./Users.vue'), meta: { title: '用户管理', permission: 'user.read' } },
  { path: 'admin/api-tokens', component: () => import('./ApiTokens.vue'), meta: { title: '接口令牌', permission: 'api_token.manage' } },
  { path: 'admin/audit', component: () => import('./Audit.vue'), meta: { title: '审计日志', permission: 'audit.read' } },
  { path: 'admin/schools', component: () => import('./Schools.vue'), meta: { title: '学校信息', permission: 'school.read' } },
  { path: 'admin/students', component: () => import('./Students.vue'), meta: { title: '学生信息', permission: 'student.read' } },
  // Reading follow-ups and the missing list needs application.read; recording
  // one needs followup.write (the page shows the button only then).
  { path: 'admin/followups', component: () => import('./Followups.vue'), meta: { title: '跟踪管理', permission: 'application.read' } },
  { path: 'admin/feedback', component: () => import('./Feedback.vue'), meta: { title: '意见反馈', permission: 'feedback.manage' } },
];

export const adminMenu = [
  {
    title: '系统管理', icon: markRaw(Setting), children: [
      { path: '/admin/users', title: '用户管理', permission: 'user.read' },
      { path: '/admin/api-tokens', title: '接口令牌', permission: 'api_token.manage' },
      { path: '/admin/audit', title: '审计日志', permission: 'audit.read' },
    ],
  },
  {
    title: '学校与学生', icon: markRaw(School), children: [
      { path: '/admin/schools', title: '学校信息', permission: 'school.read' },
      { path: '/admin/students', title: '学生信息', permission: 'student.read' },
    ],
  },
  {
    title: '跟踪与反馈', icon: markRaw(ChatLineSquare), children: [
      { path: '/admin/followups', title: '跟踪管理', permission: 'application.read' },
      { path: '/admin/feedback', title: '意见反馈', permission: 'feedback.manage' },
    ],
  },
];
