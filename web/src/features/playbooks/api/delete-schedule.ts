import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import { playbookKeys } from './keys';

export async function deleteSchedule(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/schedules/{id}', { params: { path: { id } } }));
}

export function useDeleteSchedule() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: deleteSchedule, onSuccess: () => void queryClient.invalidateQueries({ queryKey: playbookKeys.allSchedules() }) });
}
