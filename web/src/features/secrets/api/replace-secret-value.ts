import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { ReplaceSecretValueBody, Secret } from '@/api/types';

export type ReplaceSecretValueInput = { id: string; body: ReplaceSecretValueBody };

export function replaceSecretValue({ id, body }: ReplaceSecretValueInput): Promise<Secret> {
  return unwrap(api.PUT('/api/v1/secrets/{id}/value', { params: { path: { id } }, body }));
}

export function useReplaceSecretValue() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: replaceSecretValue,
    // The variables hold the new value: do not keep the finished mutation around.
    gcTime: 0,
    onSuccess: (secret) => {
      queryClient.setQueryData(['secrets', 'detail', secret.id], secret);
      void queryClient.invalidateQueries({ queryKey: ['secrets', 'list'] });
    },
  });
}
