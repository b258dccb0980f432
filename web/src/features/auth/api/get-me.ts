import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Me } from '@/api/types';

export function getMe(): Promise<Me> {
  return unwrap(api.GET('/api/v1/auth/me'));
}

export const meQueryOptions = () => queryOptions({ queryKey: ['auth', 'me'], queryFn: getMe });

export function useMe() {
  return useQuery(meQueryOptions());
}
