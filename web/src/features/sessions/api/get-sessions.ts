import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { SessionsQuery } from '@/api/types';

export function getSessions(query: SessionsQuery) {
  return unwrap(api.GET('/api/v1/sessions', { params: { query } }));
}

export const sessionsQueryOptions = (query: SessionsQuery) =>
  queryOptions({ queryKey: ['sessions', query], queryFn: () => getSessions(query), placeholderData: keepPreviousData });

export function useSessions(query: SessionsQuery) {
  return useQuery(sessionsQueryOptions(query));
}
