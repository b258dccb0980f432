import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import { runKeys } from './keys';

/** Stops a running run; the final state arrives on the event stream. */
export async function cancelRun(id: string): Promise<void> {
  await unwrap(api.POST('/api/v1/runs/{id}/cancel', { params: { path: { id } } }));
}

export function useCancelRun() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: cancelRun, onSuccess: () => void queryClient.invalidateQueries({ queryKey: runKeys.lists() }) });
}
