import type { HostsQuery, HostStatusHistoryQuery } from '@/api/types';

/** Query keys of the hosts feature; lists and details are patched in place by live status updates. */
export const hostKeys = {
  all: ['hosts'] as const,
  lists: () => ['hosts', 'list'] as const,
  list: (query: HostsQuery) => ['hosts', 'list', query] as const,
  detail: (id: string) => ['hosts', 'detail', id] as const,
  history: (id: string, query: HostStatusHistoryQuery) => ['hosts', 'history', id, query] as const,
  histories: (id: string) => ['hosts', 'history', id] as const,
  audit: (id: string, offset: number) => ['hosts', 'audit', id, offset] as const,
  credentials: () => ['hosts', 'credentials'] as const,
};
