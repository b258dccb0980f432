import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { User } from '@/api/types';

export function getUser(id: string): Promise<User> {
  return unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id } } }));
}

export const userQueryOptions = (id: string) => queryOptions({ queryKey: ['users', 'detail', id], queryFn: () => getUser(id) });

export function useUser(id: string) {
  return useQuery(userQueryOptions(id));
}
