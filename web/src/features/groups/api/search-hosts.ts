import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { HostPage } from '@/api/types';

export const PICKER_PAGE = 20;

/** Hosts for the "Add hosts" picker (`GET /hosts?q=`). */
export function searchHosts(q: string): Promise<HostPage> {
  return unwrap(api.GET('/api/v1/hosts', { params: { query: { q: q || undefined, limit: PICKER_PAGE, sort: 'name' } } }));
}

export const searchHostsQueryOptions = (q: string) =>
  queryOptions({ queryKey: ['groups', 'host-picker', q] as const, queryFn: () => searchHosts(q), placeholderData: keepPreviousData });

export function useSearchHosts(q: string) {
  return useQuery(searchHostsQueryOptions(q));
}
