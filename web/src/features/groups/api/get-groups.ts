import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { GroupList, GroupsQuery } from '@/api/types';
import { groupKeys } from './keys';

export function getGroups(query: GroupsQuery): Promise<GroupList> {
  return unwrap(api.GET('/api/v1/groups', { params: { query } }));
}

export const groupsQueryOptions = (query: GroupsQuery) =>
  queryOptions({ queryKey: groupKeys.list(query), queryFn: () => getGroups(query), placeholderData: keepPreviousData });

export function useGroups(query: GroupsQuery = {}) {
  return useQuery(groupsQueryOptions(query));
}
