import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { ImportHostsBody, ImportReport } from '@/api/types';
import { hostKeys } from './keys';

export function importHosts(body: ImportHostsBody): Promise<ImportReport> {
  return unwrap(api.POST('/api/v1/hosts/import', { body }));
}

export function useImportHosts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: importHosts,
    onSuccess: (report) => {
      if (report.applied) void queryClient.invalidateQueries({ queryKey: hostKeys.all });
    },
  });
}
