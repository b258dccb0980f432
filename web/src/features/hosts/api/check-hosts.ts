import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { ChecksStarted } from '@/api/types';

/** Starts checks; results arrive as live `host.status` events. */
export function checkHosts(ids: string[]): Promise<ChecksStarted> {
  return unwrap(api.POST('/api/v1/hosts/check', { body: { ids } }));
}

export function useCheckHosts() {
  return useMutation({ mutationFn: checkHosts });
}
