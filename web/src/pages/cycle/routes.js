// Pages of the cycle's setup and identification (county): cycle setup with
// the policy editor, budgets and dates; roster and list imports; the
// identification runs, their results and a student's explanation.
// Each route names the permission it needs (router.js checks it; the API
// checks it again, with the data scope and the cycle's state).
import { markRaw } from 'vue';
import { Calendar } from '@element-plus/icons-vue';

export const cycleRoutes = [
  { path: 'cycle/cycles', component: () => import('./Cycles.vue'), meta: { title: '资助周期', permission: 'cycle.read' } },
  { path: 'cycle/cycles/:id', component: () => import('./CycleSetup.vue'), meta: { title: '周期设置', permission: 'cycle.read', menu: '/cycle/cycles' } },
  { path: 'cycle/lists', component: () => import('./ListImport.vue'), meta: { title: '部门名单导入', permission: 'list.import' } },
  { path: 'cycle/roster', component: () => import('./RosterImport.vue'), meta: { title: '学籍名册导入', permission: 'student.import' } },
  { path: 'cycle/identification', component: () => import('./Identification.vue'), meta: { title: '资格认定', permission: 'identify.run' } },
];

// The sidebar group of these pages (menu.js); `icon` is a component.
export const cycleMenu = [
  {
    title: '资助周期', icon: markRaw(Calendar), children: [
      { path: '/cycle/cycles', title: '周期与政策', permission: 'cycle.read' },
      { path: '/cycle/lists', title: '部门名单导入', permission: 'list.import' },
      { path: '/cycle/roster', title: '学籍名册导入', permission: 'student.import' },
      { path: '/cycle/identification', title: '资格认定', permission: 'identify.run' },
    ],
  },
];
