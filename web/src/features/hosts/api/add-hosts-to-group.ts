import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { MembersChanged } from '@/api/types';

export type AddHostsToGroupInput = { groupId: string; ids: string[] };

/** `POST /groups/{id}/members` (static groups only). */
export function addHostsToGroup({ groupId, ids }: AddHostsToGroupInput): Promise<MembersChanged> {
  return unwrap(api.POST('/api/v1/groups/{id}/members', { params: { path: { id: groupId } }, body: { ids } }));
}

export function useAddHostsToGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addHostsToGroup,
    // counts, members and host membership all live under the groups key
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['groups'] }),
  });
}
