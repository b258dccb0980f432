import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { LaunchRequest, Run } from '@/api/types';
import { playbookKeys } from './keys';

/** Launches a playbook (202: the run is queued). */
export function launchPlaybook({ id, body }: { id: string; body: LaunchRequest }): Promise<Run> {
  return unwrap(api.POST('/api/v1/playbooks/{id}/launch', { params: { path: { id } }, body }));
}

export function useLaunchPlaybook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: launchPlaybook,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: playbookKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: ['runs'] });
    },
  });
}
