import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { HostKeyRecord } from '@/api/types';

/** Records the key the host presents now, if it has the fingerprint the administrator checked. */
export function acceptHostKey(hostId: string, fingerprint: string): Promise<HostKeyRecord> {
  return unwrap(api.POST('/api/v1/hosts/{id}/host-key/accept', { params: { path: { id: hostId } }, body: { fingerprint } }));
}

export function useAcceptHostKey() {
  return useMutation({ mutationFn: ({ hostId, fingerprint }: { hostId: string; fingerprint: string }) => acceptHostKey(hostId, fingerprint) });
}
