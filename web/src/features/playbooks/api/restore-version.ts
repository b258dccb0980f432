import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Playbook } from '@/api/types';
import { playbookKeys } from './keys';

/** Makes an old version's content current again (as a new version). */
export function restoreVersion({ id, version }: { id: string; version: number }): Promise<Playbook> {
  return unwrap(api.POST('/api/v1/playbooks/{id}/versions/{version}/restore', { params: { path: { id, version } } }));
}

export function useRestoreVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreVersion,
    onSuccess: (p) => {
      queryClient.setQueryData(playbookKeys.detail(p.id), p);
      void queryClient.invalidateQueries({ queryKey: playbookKeys.versions(p.id) });
      void queryClient.invalidateQueries({ queryKey: playbookKeys.lists() });
    },
  });
}
