import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import { hostKeys } from './keys';

export async function deleteHost(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/hosts/{id}', { params: { path: { id } } }));
}

export function useDeleteHost() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteHost,
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: hostKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: hostKeys.lists() });
    },
  });
}
