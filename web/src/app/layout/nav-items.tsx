import {
  IconBook,
  IconCalendarTime,
  IconDeviceDesktop,
  IconFolders,
  IconGauge,
  IconKey,
  IconListDetails,
  IconServer2,
  IconLock,
  IconPlayerPlay,
  IconPlayerRecord,
  IconSettings,
  IconTerminal2,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import type { ParseKeys } from 'i18next';
import { PERMISSIONS } from '@/lib/permissions';

export type NavItem = { path: string; label: ParseKeys; icon: Icon; permission?: string; testId: string };

/** The pages of the app, in sidebar order; items needing a permission are hidden without it. */
export const NAV_ITEMS: NavItem[] = [
  { path: '/', label: 'nav.dashboard', icon: IconGauge, permission: PERMISSIONS.dashboardRead, testId: 'nav-dashboard' },
  { path: '/hosts', label: 'nav.hosts', icon: IconServer2, permission: PERMISSIONS.hostsRead, testId: 'nav-hosts' },
  { path: '/groups', label: 'nav.groups', icon: IconFolders, permission: PERMISSIONS.hostsRead, testId: 'nav-groups' },
  { path: '/runs', label: 'nav.runs', icon: IconPlayerPlay, permission: PERMISSIONS.runsRead, testId: 'nav-runs' },
  { path: '/playbooks', label: 'nav.playbooks', icon: IconBook, permission: PERMISSIONS.playbooksRead, testId: 'nav-playbooks' },
  { path: '/schedules', label: 'nav.schedules', icon: IconCalendarTime, permission: PERMISSIONS.playbooksRead, testId: 'nav-schedules' },
  { path: '/terminals', label: 'nav.terminals', icon: IconTerminal2, permission: PERMISSIONS.terminalOpen, testId: 'nav-terminals' },
  { path: '/recordings', label: 'nav.recordings', icon: IconPlayerRecord, permission: PERMISSIONS.recordingsView, testId: 'nav-recordings' },
  { path: '/users', label: 'nav.users', icon: IconUsers, permission: PERMISSIONS.usersRead, testId: 'nav-users' },
  { path: '/secrets', label: 'nav.secrets', icon: IconLock, permission: PERMISSIONS.secretsRead, testId: 'nav-secrets' },
  { path: '/sessions', label: 'nav.sessions', icon: IconDeviceDesktop, testId: 'nav-sessions' },
  { path: '/tokens', label: 'nav.tokens', icon: IconKey, testId: 'nav-tokens' },
  { path: '/audit', label: 'nav.audit', icon: IconListDetails, permission: PERMISSIONS.auditRead, testId: 'nav-audit' },
  { path: '/settings', label: 'nav.settings', icon: IconSettings, permission: PERMISSIONS.settingsRead, testId: 'nav-settings' },
];

export function visibleNavItems(permissions: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.permission || permissions.includes(item.permission));
}
