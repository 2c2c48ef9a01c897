// The staff menu: each page names the permission it needs (app/roles.cc via
// the user's `permissions`); the sidebar and the router show a page only to
// users who hold it.
export const MENU = [
  { path: '/dashboard', title: '首页', icon: 'Odometer', permission: null },
  {
    title: '资金管理', icon: 'Money', children: [
      { path: '/funds/accounts', title: '资金账户', permission: 'funds.read' },
      { path: '/funds/batches', title: '付款批次', permission: 'funds.read' },
    ],
  },
];
