// Pages of the school's review and the county's filing: applications with
// evidence, the panel's voting page, announcements (公示), objections and
// appeals, filing. Each route names the permission it needs (router.js
// checks it; the API checks it again, and the data scope). Every page takes
// the cycle as `?cycle=ID` (CyclePicker).
import { markRaw } from 'vue';
import { Stamp } from '@element-plus/icons-vue';

export const reviewRoutes = [
  { path: 'review/applications', component: () => import('./Applications.vue'), meta: { title: '资助申请', permission: 'application.read' } },
  { path: 'review/board', component: () => import('./Board.vue'), meta: { title: '民主评议', permission: 'application.read' } },
  { path: 'review/announcements', component: () => import('./Announcements.vue'), meta: { title: '名单公示', permission: 'application.read' } },
  { path: 'review/objections', component: () => import('./Objections.vue'), meta: { title: '异议处理', permission: 'application.read' } },
  { path: 'review/filings', component: () => import('./Filings.vue'), meta: { title: '名单备案', permission: 'cycle.read' } },
  { path: 'review/filings/:id', component: () => import('./FilingDetail.vue'), meta: { title: '备案详情', permission: 'cycle.read', menu: '/review/filings' } },
];

export const reviewMenu = [
  {
    title: '评审与公示', icon: markRaw(Stamp), children: [
      { path: '/review/applications', title: '资助申请', permission: 'application.read' },
      { path: '/review/board', title: '民主评议', permission: 'application.read' },
      { path: '/review/announcements', title: '名单公示', permission: 'application.read' },
      { path: '/review/objections', title: '异议处理', permission: 'application.read' },
      { path: '/review/filings', title: '名单备案', permission: 'cycle.read' },
    ],
  },
];
