import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { HostPage } from '@/api/types';
import { terminalKeys } from './keys';

/** Hosts for the "Connect to host…" picker (`GET /hosts?q=`). */
export function searchHosts(q: string): Promise<HostPage> {
  return unwrap(api.GET('/api/v1/hosts', { params: { query: { q: q || undefined, limit: 20, sort: 'name' } } }));
}

export const searchHostsQueryOptions = (q: string) =>
  queryOptions({ queryKey: terminalKeys.hostSearch(q), queryFn: () => searchHosts(q), placeholderData: keepPreviousData });

export function useSearchHosts(q: string, enabled: boolean) {
  return useQuery({ ...searchHostsQueryOptions(q), enabled });
}
