import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { BulkDeleteResult } from '@/api/types';
import { hostKeys } from './keys';

export function bulkDeleteHosts(ids: string[]): Promise<BulkDeleteResult> {
  return unwrap(api.POST('/api/v1/hosts/bulk-delete', { body: { ids } }));
}

export function useBulkDeleteHosts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: bulkDeleteHosts,
    onSuccess: (_, ids) => {
      for (const id of ids) queryClient.removeQueries({ queryKey: hostKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: hostKeys.lists() });
    },
  });
}
