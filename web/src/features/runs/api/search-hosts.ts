import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { HostPage, HostsQuery } from '@/api/types';
import { runKeys } from './keys';

/** Hosts by name or address (`q`), or by id (`ids`), for the history's host filter. */
export function searchHosts(query: HostsQuery): Promise<HostPage> {
  return unwrap(api.GET('/api/v1/hosts', { params: { query } }));
}

export const hostOptionsQueryOptions = (query: HostsQuery) =>
  queryOptions({ queryKey: runKeys.hostOptions(query), queryFn: () => searchHosts(query), placeholderData: keepPreviousData, staleTime: 30_000 });

export function useHostOptions(query: HostsQuery, enabled = true) {
  return useQuery({ ...hostOptionsQueryOptions(query), enabled });
}
