import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { TaskEvent } from '@/api/types';
import { runKeys } from './keys';

/** A playbook run's structured task events (up to 5000), in order. */
export function getRunTasks(id: string): Promise<TaskEvent[]> {
  return unwrap(api.GET('/api/v1/runs/{id}/tasks', { params: { path: { id }, query: { limit: 5000 } } }));
}

/**
 * Re-read every few seconds while the run is going. Keyed by `finished` too (as the artifacts
 * are): a run that ends while the last read is in flight is read once more, in full.
 */
export const runTasksQueryOptions = (id: string, finished: boolean) =>
  queryOptions({ queryKey: [...runKeys.tasks(id), finished] as const, queryFn: () => getRunTasks(id), refetchInterval: finished ? false : 3000 });

export function useRunTasks(id: string, finished: boolean) {
  return useQuery(runTasksQueryOptions(id, finished));
}
