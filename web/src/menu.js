// The staff menu: each page names the permission it needs (app/roles.cc via
// the user's `permissions`); the sidebar and the router show a page only to
// users who hold it. `icon` is the name of an icon StaffLayout imports, or
// the icon component itself (the area menus import their own).
import { cycleMenu } from './pages/cycle/routes.js';
import { reviewMenu } from './pages/review/routes.js';
import { adminMenu } from './pages/admin/routes.js';

export const MENU = [
  { path: '/dashboard', title: '首页', icon: 'Odometer', permission: null },
  // The guardian's own pages live in a phone-first layout of their own (/portal).
  { path: '/portal', title: '家长服务', icon: 'User', permission: 'guardian.self' },
  ...adminMenu,
  ...cycleMenu,
  ...reviewMenu,
  {
    title: '资金管理', icon: 'Money', children: [
      { path: '/funds/accounts', title: '资金账户', permission: 'funds.read' },
      { path: '/funds/receipts', title: '资金到账', permission: 'funds.manage' },
      { path: '/funds/allocations', title: '资金分配', permission: 'funds.manage' },
      // In finance's menu only (their work); the page itself is open to funds.read.
      { path: '/funds/commitments', title: '名单资金承诺', permission: 'funds.manage' },
      { path: '/funds/batches', title: '付款批次', permission: 'funds.read' },
      { path: '/funds/reports', title: '资金公示与审计', permission: 'funds.read' },
      { path: '/funds/school-payments', title: '学校代发', permission: 'funds.school_pay' },
    ],
  },
];
