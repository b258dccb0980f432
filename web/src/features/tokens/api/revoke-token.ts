import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';

export async function revokeToken(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
      void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
    },
  });
}
