import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import { groupKeys } from './keys';

/** 409 while another group's rule uses `in_group(name)`. */
export async function deleteGroup(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/v1/groups/{id}', { params: { path: { id } } }));
}

export function useDeleteGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteGroup,
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: groupKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: groupKeys.all });
    },
  });
}
