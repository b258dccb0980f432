import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';

/** Starts one check; the result arrives as a live `host.status` event. */
export async function checkHost(id: string): Promise<void> {
  await unwrap(api.POST('/api/v1/hosts/{id}/check', { params: { path: { id } } }));
}

export function useCheckHost() {
  return useMutation({ mutationFn: checkHost });
}
