import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { HostStatusChangePage, HostStatusHistoryQuery } from '@/api/types';
import { hostKeys } from './keys';

export function getStatusHistory(id: string, query: HostStatusHistoryQuery): Promise<HostStatusChangePage> {
  return unwrap(api.GET('/api/v1/hosts/{id}/status-history', { params: { path: { id }, query } }));
}

export const statusHistoryQueryOptions = (id: string, query: HostStatusHistoryQuery) =>
  queryOptions({ queryKey: hostKeys.history(id, query), queryFn: () => getStatusHistory(id, query), placeholderData: keepPreviousData });

export function useStatusHistory(id: string, query: HostStatusHistoryQuery) {
  return useQuery(statusHistoryQueryOptions(id, query));
}
