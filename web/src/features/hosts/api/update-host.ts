import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Host, UpdateHostBody } from '@/api/types';
import { hostKeys } from './keys';

export type UpdateHostInput = { id: string; body: UpdateHostBody };

export function updateHost({ id, body }: UpdateHostInput): Promise<Host> {
  return unwrap(api.PATCH('/api/v1/hosts/{id}', { params: { path: { id } }, body }));
}

export function useUpdateHost() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateHost,
    onSuccess: (host) => {
      queryClient.setQueryData(hostKeys.detail(host.id), host);
      void queryClient.invalidateQueries({ queryKey: hostKeys.lists() });
    },
  });
}
