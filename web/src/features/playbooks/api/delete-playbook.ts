import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import { playbookKeys } from './keys';

/** Deletes a playbook with its versions and schedules (its runs stay in the history). */
export async function deletePlaybook(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/playbooks/{id}', { params: { path: { id } } }));
}

export function useDeletePlaybook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deletePlaybook,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: playbookKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: playbookKeys.allSchedules() });
    },
  });
}
