import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { TaskEvent } from '@/api/types';
import { runKeys } from './keys';

/** A playbook run's structured task events (up to 5000), in order. */
export function getRunTasks(id: string): Promise<TaskEvent[]> {
  return unwrap(api.GET('/api/v1/runs/{id}/tasks', { params: { path: { id }, query: { limit: 5000 } } }));
}

/** Re-read every few seconds while the run is going. */
export const runTasksQueryOptions = (id: string, live: boolean) =>
  queryOptions({ queryKey: runKeys.tasks(id), queryFn: () => getRunTasks(id), refetchInterval: live ? 3000 : false });

export function useRunTasks(id: string, live: boolean) {
  return useQuery(runTasksQueryOptions(id, live));
}
