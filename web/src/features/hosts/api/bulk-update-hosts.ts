import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { BulkUpdateHostsBody, BulkUpdateResult } from '@/api/types';
import { hostKeys } from './keys';

/** All or nothing: when `applied` is false, `items` says per host why. */
export function bulkUpdateHosts(body: BulkUpdateHostsBody): Promise<BulkUpdateResult> {
  return unwrap(api.POST('/api/v1/hosts/bulk-update', { body }));
}

export function useBulkUpdateHosts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: bulkUpdateHosts,
    onSuccess: (result) => {
      if (!result.applied) return;
      void queryClient.invalidateQueries({ queryKey: hostKeys.all });
    },
  });
}
