import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Group } from '@/api/types';
import { groupKeys } from './keys';

export function getGroup(id: string): Promise<Group> {
  return unwrap(api.GET('/api/v1/groups/{id}', { params: { path: { id } } }));
}

export const groupQueryOptions = (id: string) => queryOptions({ queryKey: groupKeys.detail(id), queryFn: () => getGroup(id) });

export function useGroup(id: string) {
  return useQuery(groupQueryOptions(id));
}
