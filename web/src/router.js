import { createRouter, createWebHistory } from 'vue-router';
import { auth, can, loadSession } from './auth.js';
import { setUnauthorizedHandler } from './api.js';

const StaffLayout = () => import('./layouts/StaffLayout.vue');
const PublicLayout = () => import('./layouts/PublicLayout.vue');

const routes = [
  { path: '/', redirect: '/dashboard' },
  { path: '/login', component: () => import('./pages/Login.vue'), meta: { public: true, title: '登录' } },
  {
    path: '/public', component: PublicLayout, meta: { public: true },
    children: [
      { path: '', redirect: '/public/announcements' },
      { path: 'announcements', component: () => import('./pages/public/Announcements.vue'), meta: { public: true, title: '资助名单公示' } },
      { path: 'fund-use', component: () => import('./pages/public/FundUse.vue'), meta: { public: true, title: '资金使用公示' } },
    ],
  },
  {
    path: '/', component: StaffLayout,
    children: [
      { path: 'dashboard', component: () => import('./pages/Dashboard.vue'), meta: { title: '首页' } },
      { path: 'funds/accounts', component: () => import('./pages/funds/Accounts.vue'), meta: { title: '资金账户', permission: 'funds.read' } },
      { path: 'funds/batches', component: () => import('./pages/funds/Batches.vue'), meta: { title: '付款批次', permission: 'funds.read' } },
      { path: 'funds/batches/:id', component: () => import('./pages/funds/BatchDetail.vue'), meta: { title: '付款批次详情', permission: 'funds.read' } },
      { path: 'forbidden', component: () => import('./pages/Forbidden.vue'), meta: { title: '无权访问' } },
    ],
  },
  { path: '/:rest(.*)*', component: () => import('./pages/NotFound.vue'), meta: { public: true, title: '页面不存在' } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  document.title = `${to.meta.title ? to.meta.title + ' - ' : ''}学生资助管理`;
  if (to.meta.public) return true;
  await loadSession();
  if (!auth.user || auth.stage !== 'ok') return { path: '/login', query: { redirect: to.fullPath } };
  if (to.meta.permission && !can(to.meta.permission)) return { path: '/forbidden' };
  return true;
});

setUnauthorizedHandler(() => {
  auth.user = null; auth.stage = '';
  if (!router.currentRoute.value.meta.public) {
    router.push({ path: '/login', query: { redirect: router.currentRoute.value.fullPath } });
  }
});
