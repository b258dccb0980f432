import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { CreateSecretBody, Secret } from '@/api/types';

export function createSecret(body: CreateSecretBody): Promise<Secret> {
  return unwrap(api.POST('/api/v1/secrets', { body }));
}

export function useCreateSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createSecret,
    // The request carries the value: drop the finished mutation (and its variables) at once.
    gcTime: 0,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['secrets', 'list'] });
    },
  });
}
