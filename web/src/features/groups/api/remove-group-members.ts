import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { MembersChanged } from '@/api/types';
import type { GroupMembersInput } from './add-group-members';
import { groupKeys } from './keys';

/** Static groups only (409 for dynamic ones). */
export function removeGroupMembers({ id, ids }: GroupMembersInput): Promise<MembersChanged> {
  return unwrap(api.POST('/api/v1/groups/{id}/members/remove', { params: { path: { id } }, body: { ids } }));
}

export function useRemoveGroupMembers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeGroupMembers,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: groupKeys.all }),
  });
}
