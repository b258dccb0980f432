import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Run } from '@/api/types';
import { runKeys } from './keys';

/** Runs a finished run again, all hosts or only those that did not succeed. */
export function rerunRun({ id, failedOnly }: { id: string; failedOnly: boolean }): Promise<Run> {
  return unwrap(api.POST('/api/v1/runs/{id}/rerun', { params: { path: { id } }, body: { failed_only: failedOnly } }));
}

export function useRerunRun() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: rerunRun, onSuccess: () => void queryClient.invalidateQueries({ queryKey: runKeys.lists() }) });
}
