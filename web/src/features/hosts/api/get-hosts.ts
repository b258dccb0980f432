import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { HostPage, HostsQuery } from '@/api/types';
import { hostKeys } from './keys';

export function getHosts(query: HostsQuery): Promise<HostPage> {
  return unwrap(api.GET('/api/v1/hosts', { params: { query } }));
}

export const hostsQueryOptions = (query: HostsQuery) =>
  queryOptions({ queryKey: hostKeys.list(query), queryFn: () => getHosts(query), placeholderData: keepPreviousData });

export function useHosts(query: HostsQuery) {
  return useQuery(hostsQueryOptions(query));
}
