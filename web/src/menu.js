// The staff menu: each page names the permission it needs (app/roles.cc via
// the user's `permissions`); the sidebar and the router show a page only to
// users who hold it.
export const MENU = [
  { path: '/dashboard', title: '首页', icon: 'Odometer', permission: null },
  // The guardian's own pages live in a phone-first layout of their own (/portal).
  { path: '/portal', title: '家长服务', icon: 'User', permission: 'guardian.self' },
  {
    title: '资金管理', icon: 'Money', children: [
      { path: '/funds/accounts', title: '资金账户', permission: 'funds.read' },
      { path: '/funds/receipts', title: '资金到账', permission: 'funds.manage' },
      { path: '/funds/allocations', title: '资金分配', permission: 'funds.manage' },
      { path: '/funds/batches', title: '付款批次', permission: 'funds.read' },
      { path: '/funds/reports', title: '资金公示与审计', permission: 'funds.read' },
    ],
  },
];
