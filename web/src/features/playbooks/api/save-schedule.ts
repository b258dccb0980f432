import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Schedule, ScheduleInput } from '@/api/types';
import { playbookKeys } from './keys';

/** Creates a schedule, or saves one when `id` is given (also how it is enabled or disabled). */
export function saveSchedule({ id, body }: { id?: string; body: ScheduleInput }): Promise<Schedule> {
  if (id) return unwrap(api.PUT('/api/v1/schedules/{id}', { params: { path: { id } }, body }));
  return unwrap(api.POST('/api/v1/schedules', { body }));
}

export function useSaveSchedule() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: saveSchedule, onSuccess: () => void queryClient.invalidateQueries({ queryKey: playbookKeys.allSchedules() }) });
}
