// Pages of administration and follow-up: organisation and users, schools and
// students (masked, audited reveal), follow-ups, feedback, the audit log.
// Each route names the permission it needs.
export const adminRoutes = [];

export const adminMenu = [];
