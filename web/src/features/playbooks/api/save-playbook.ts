import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Playbook, PlaybookInput } from '@/api/types';
import { playbookKeys } from './keys';

/** Creates a playbook (201), or saves one when `id` is given (changed content becomes a new version). */
export function savePlaybook({ id, body }: { id?: string; body: PlaybookInput }): Promise<Playbook> {
  if (id) return unwrap(api.PUT('/api/v1/playbooks/{id}', { params: { path: { id } }, body }));
  return unwrap(api.POST('/api/v1/playbooks', { body }));
}

export function useSavePlaybook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: savePlaybook,
    onSuccess: (p) => {
      queryClient.setQueryData(playbookKeys.detail(p.id), p);
      void queryClient.invalidateQueries({ queryKey: playbookKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: playbookKeys.versions(p.id) });
    },
  });
}
