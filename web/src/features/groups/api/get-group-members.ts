import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { GroupMembersQuery, HostPage } from '@/api/types';
import { groupKeys } from './keys';

/** Members (nested groups included) with the same filters, sort, paging and facets as the hosts list. */
export function getGroupMembers(id: string, query: GroupMembersQuery): Promise<HostPage> {
  return unwrap(api.GET('/api/v1/groups/{id}/members', { params: { path: { id }, query } }));
}

export const groupMembersQueryOptions = (id: string, query: GroupMembersQuery) =>
  queryOptions({ queryKey: groupKeys.members(id, query), queryFn: () => getGroupMembers(id, query), placeholderData: keepPreviousData });

export function useGroupMembers(id: string, query: GroupMembersQuery) {
  return useQuery(groupMembersQueryOptions(id, query));
}
