import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Dashboard } from '@/api/types';

export function getDashboard(): Promise<Dashboard> {
  return unwrap(api.GET('/api/v1/dashboard'));
}

export const dashboardQueryOptions = () =>
  queryOptions({ queryKey: ['dashboard'], queryFn: getDashboard, refetchInterval: 30_000 });

export function useDashboard() {
  return useQuery(dashboardQueryOptions());
}
