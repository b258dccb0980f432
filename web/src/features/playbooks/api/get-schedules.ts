import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Schedule, SchedulesQuery } from '@/api/types';
import { playbookKeys } from './keys';

/** Schedules (all, or one playbook's) with their next fire times. */
export function getSchedules(query: SchedulesQuery): Promise<Schedule[]> {
  return unwrap(api.GET('/api/v1/schedules', { params: { query } }));
}

export const schedulesQueryOptions = (query: SchedulesQuery) => queryOptions({ queryKey: playbookKeys.schedules(query), queryFn: () => getSchedules(query) });

export function useSchedules(query: SchedulesQuery) {
  return useQuery(schedulesQueryOptions(query));
}
