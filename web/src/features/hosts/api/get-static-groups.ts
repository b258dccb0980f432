import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Group } from '@/api/types';

/** Groups hosts can be added to by hand (dynamic groups follow their rule). */
export async function getStaticGroups(): Promise<Group[]> {
  const list = await unwrap(api.GET('/api/v1/groups', { params: { query: {} } }));
  return list.items.filter((g) => g.kind === 'static');
}

export const staticGroupsQueryOptions = () => queryOptions({ queryKey: ['groups', 'list', 'static'] as const, queryFn: getStaticGroups });

export function useStaticGroups(enabled = true) {
  return useQuery({ ...staticGroupsQueryOptions(), enabled });
}
