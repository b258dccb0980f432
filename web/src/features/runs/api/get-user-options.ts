import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { UsersPage } from '@/api/types';
import { runKeys } from './keys';

/** Users for the history's "started by" filter (the first 500, by username); needs `users:read`. */
export function getUserOptions(): Promise<UsersPage> {
  return unwrap(api.GET('/api/v1/users', { params: { query: { sort: 'username', limit: 500 } } }));
}

export const userOptionsQueryOptions = () => queryOptions({ queryKey: runKeys.userOptions(), queryFn: getUserOptions, staleTime: 60_000 });

export function useUserOptions(enabled = true) {
  return useQuery({ ...userOptionsQueryOptions(), enabled });
}
