import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Secret, UpdateSecretBody } from '@/api/types';

export type UpdateSecretInput = { id: string; body: UpdateSecretBody };

export function updateSecret({ id, body }: UpdateSecretInput): Promise<Secret> {
  return unwrap(api.PATCH('/api/v1/secrets/{id}', { params: { path: { id } }, body }));
}

export function useUpdateSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSecret,
    onSuccess: (secret) => {
      queryClient.setQueryData(['secrets', 'detail', secret.id], secret);
      void queryClient.invalidateQueries({ queryKey: ['secrets', 'list'] });
    },
  });
}
