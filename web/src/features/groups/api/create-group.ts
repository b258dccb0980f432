import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { CreateGroupBody, Group } from '@/api/types';
import { groupKeys } from './keys';

export function createGroup(body: CreateGroupBody): Promise<Group> {
  return unwrap(api.POST('/api/v1/groups', { body }));
}

export function useCreateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createGroup,
    onSuccess: (group) => {
      queryClient.setQueryData(groupKeys.detail(group.id), group);
      // Nesting changes the parents' counts and the hints' group names too.
      void queryClient.invalidateQueries({ queryKey: groupKeys.all });
    },
  });
}
