// Pages of the cycle's setup and identification (county): cycle setup with
// the policy editor, budgets and dates; roster and list imports; the
// identification runs, their results and a student's explanation.
// Each route names the permission it needs (router.js checks it).
export const cycleRoutes = [];

// The sidebar group of these pages (menu.js); `icon` is a component.
export const cycleMenu = [];
