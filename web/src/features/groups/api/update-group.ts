import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Group, UpdateGroupBody } from '@/api/types';
import { groupKeys } from './keys';

export type UpdateGroupInput = { id: string; body: UpdateGroupBody };

/** Absent fields are kept; `version` must be the one read (409 `stale_version` otherwise). */
export function updateGroup({ id, body }: UpdateGroupInput): Promise<Group> {
  return unwrap(api.PATCH('/api/v1/groups/{id}', { params: { path: { id } }, body }));
}

export function useUpdateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateGroup,
    onSuccess: (group) => {
      queryClient.setQueryData(groupKeys.detail(group.id), group);
      void queryClient.invalidateQueries({ queryKey: groupKeys.all });
    },
  });
}
