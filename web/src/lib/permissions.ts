/** Permission strings the UI checks to hide what a role cannot do; the server is the authority. */
export const PERMISSIONS = {
  usersRead: 'users:read',
  usersCreate: 'users:create',
  usersUpdate: 'users:update',
  usersDelete: 'users:delete',
  sessionsReadAll: 'sessions:read_all',
  sessionsRevokeAll: 'sessions:revoke_all',
  auditRead: 'audit:read',
  auditExport: 'audit:export',
  settingsRead: 'settings:read',
  settingsUpdate: 'settings:update',
  dashboardRead: 'dashboard:read',
  secretsRead: 'secrets:read',
  secretsCreate: 'secrets:create',
  secretsUpdate: 'secrets:update',
  secretsDelete: 'secrets:delete',
  secretsReveal: 'secrets:reveal',
} as const;
