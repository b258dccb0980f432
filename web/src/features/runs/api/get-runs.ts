import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { RunPage, RunsQuery } from '@/api/types';
import { runKeys } from './keys';

export function getRuns(query: RunsQuery): Promise<RunPage> {
  return unwrap(api.GET('/api/v1/runs', { params: { query } }));
}

/** The history; re-read every few seconds while a listed run is still going. */
export const runsQueryOptions = (query: RunsQuery) =>
  queryOptions({
    queryKey: runKeys.list(query),
    queryFn: () => getRuns(query),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'queued' || r.status === 'running') ? 3000 : false),
  });

export function useRuns(query: RunsQuery) {
  return useQuery(runsQueryOptions(query));
}
