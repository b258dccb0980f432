import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { KeyRequest, Run } from '@/api/types';
import { runKeys } from './keys';

/** Deploys or removes a public key in `authorized_keys` on the selected hosts (202). */
export function runKey(body: KeyRequest): Promise<Run> {
  return unwrap(api.POST('/api/v1/runs/ssh-keys', { body }));
}

export function useRunKey() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: runKey, onSuccess: () => void queryClient.invalidateQueries({ queryKey: runKeys.lists() }) });
}
