import { createRouter, createWebHistory } from 'vue-router';
import { auth, can, loadSession } from './auth.js';
import { setUnauthorizedHandler } from './api.js';
import { cycleRoutes } from './pages/cycle/routes.js';
import { reviewRoutes } from './pages/review/routes.js';
import { adminRoutes } from './pages/admin/routes.js';

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
      { path: 'notices', component: () => import('./pages/public/Notices.vue'), meta: { public: true, title: '政策通知' } },
      { path: 'objection', component: () => import('./pages/public/Objection.vue'), meta: { public: true, title: '提出异议' } },
      { path: 'objection/status/:receipt?', component: () => import('./pages/public/ObjectionStatus.vue'), meta: { public: true, title: '异议查询' } },
      { path: 'feedback', component: () => import('./pages/public/Feedback.vue'), meta: { public: true, title: '意见反馈' } },
      { path: 'feedback/status/:code?', component: () => import('./pages/public/FeedbackStatus.vue'), meta: { public: true, title: '反馈查询' } },
    ],
  },
  {
    // The guardian portal (phone first): its own layout, no staff sidebar.
    path: '/portal', component: () => import('./pages/portal/PortalLayout.vue'), meta: { permission: 'guardian.self' },
    children: [
      { path: '', component: () => import('./pages/portal/Children.vue'), meta: { title: '我的孩子' } },
      { path: 'apply', component: () => import('./pages/portal/Apply.vue'), meta: { title: '申请资助' } },
      { path: 'applications/:id', component: () => import('./pages/portal/ApplicationDetail.vue'), meta: { title: '申请详情' } },
      { path: 'feedback', component: () => import('./pages/portal/Feedback.vue'), meta: { title: '意见反馈' } },
    ],
  },
  {
    path: '/', component: StaffLayout,
    children: [
      { path: 'dashboard', component: () => import('./pages/Dashboard.vue'), meta: { title: '首页' } },
      { path: 'funds/accounts', component: () => import('./pages/funds/Accounts.vue'), meta: { title: '资金账户', permission: 'funds.read' } },
      { path: 'funds/batches', component: () => import('./pages/funds/Batches.vue'), meta: { title: '付款批次', permission: 'funds.read' } },
      { path: 'funds/batches/:id', component: () => import('./pages/funds/BatchDetail.vue'), meta: { title: '付款批次详情', permission: 'funds.read' } },
      { path: 'funds/receipts', component: () => import('./pages/funds/Receipts.vue'), meta: { title: '资金到账', permission: 'funds.manage' } },
      { path: 'funds/allocations', component: () => import('./pages/funds/Allocations.vue'), meta: { title: '资金分配', permission: 'funds.manage' } },
      { path: 'funds/lines/:id/trace', component: () => import('./pages/funds/Trace.vue'), meta: { title: '付款追溯', permission: 'funds.read' } },
      { path: 'funds/reports', component: () => import('./pages/funds/Publications.vue'), meta: { title: '资金公示与审计', permission: 'funds.read' } },
      { path: 'funds/commitments', component: () => import('./pages/funds/Commitments.vue'), meta: { title: '名单资金承诺', permission: 'funds.read' } },
      { path: 'funds/school-payments', component: () => import('./pages/funds/SchoolPayments.vue'), meta: { title: '学校代发', permission: 'funds.school_pay' } },
      ...cycleRoutes,
      ...reviewRoutes,
      ...adminRoutes,
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
