import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { GroupList } from '@/api/types';
import { runKeys } from './keys';

/** Group names to suggest as targets. */
export function getGroups(): Promise<GroupList> {
  return unwrap(api.GET('/api/v1/groups', {}));
}

export const groupsQueryOptions = () => queryOptions({ queryKey: runKeys.groups(), queryFn: getGroups, staleTime: 30_000 });

export function useTargetGroups() {
  return useQuery(groupsQueryOptions());
}
