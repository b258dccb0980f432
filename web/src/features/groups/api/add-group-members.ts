import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { MembersChanged } from '@/api/types';
import { groupKeys } from './keys';

export type GroupMembersInput = { id: string; ids: string[] };

/** Static groups only (409 for dynamic ones). */
export function addGroupMembers({ id, ids }: GroupMembersInput): Promise<MembersChanged> {
  return unwrap(api.POST('/api/v1/groups/{id}/members', { params: { path: { id } }, body: { ids } }));
}

export function useAddGroupMembers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addGroupMembers,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: groupKeys.all }),
  });
}
