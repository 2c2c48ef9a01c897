// Pages of the school's review and the county's filing: applications with
// evidence, the panel's voting page, announcements (公示), objections and
// appeals, filing. Each route names the permission it needs.
export const reviewRoutes = [];

export const reviewMenu = [];
