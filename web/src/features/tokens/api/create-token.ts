import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { CreateTokenBody, CreatedApiToken } from '@/api/types';

export function createToken(body: CreateTokenBody): Promise<CreatedApiToken> {
  return unwrap(api.POST('/api/v1/tokens', { body }));
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
      void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
}
