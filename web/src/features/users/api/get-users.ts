import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { UsersPage, UsersQuery } from '@/api/types';

export function getUsers(query: UsersQuery): Promise<UsersPage> {
  return unwrap(api.GET('/api/v1/users', { params: { query } }));
}

export const usersQueryOptions = (query: UsersQuery) =>
  queryOptions({ queryKey: ['users', 'list', query], queryFn: () => getUsers(query), placeholderData: keepPreviousData });

export function useUsers(query: UsersQuery) {
  return useQuery(usersQueryOptions(query));
}
