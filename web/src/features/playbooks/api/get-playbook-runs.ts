import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { RunPage, RunsQuery } from '@/api/types';
import { playbookKeys } from './keys';

/** The runs of one playbook (the runs history filtered by `playbook=`). */
export function getPlaybookRuns(query: RunsQuery): Promise<RunPage> {
  return unwrap(api.GET('/api/v1/runs', { params: { query } }));
}

export const playbookRunsQueryOptions = (query: RunsQuery) =>
  queryOptions({
    queryKey: playbookKeys.runs(query),
    queryFn: () => getPlaybookRuns(query),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'queued' || r.status === 'running') ? 3000 : false),
  });

export function usePlaybookRuns(query: RunsQuery) {
  return useQuery(playbookRunsQueryOptions(query));
}
