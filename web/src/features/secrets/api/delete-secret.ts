import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';

export type DeleteSecretInput = { id: string; force: boolean };

export async function deleteSecret({ id, force }: DeleteSecretInput): Promise<void> {
  await unwrap(api.DELETE('/api/v1/secrets/{id}', { params: { path: { id }, query: force ? { force } : {} } }));
}

export function useDeleteSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteSecret,
    onSuccess: (_, { id }) => {
      queryClient.removeQueries({ queryKey: ['secrets', 'detail', id] });
      queryClient.removeQueries({ queryKey: ['secrets', 'usage', id] });
      void queryClient.invalidateQueries({ queryKey: ['secrets', 'list'] });
    },
  });
}
