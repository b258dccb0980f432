import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { CreateHostBody, Host } from '@/api/types';
import { hostKeys } from './keys';

export function createHost(body: CreateHostBody): Promise<Host> {
  return unwrap(api.POST('/api/v1/hosts', { body }));
}

export function useCreateHost() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createHost,
    onSuccess: (host) => {
      queryClient.setQueryData(hostKeys.detail(host.id), host);
      void queryClient.invalidateQueries({ queryKey: hostKeys.lists() });
    },
  });
}
