import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';

export function getTokens() {
  return unwrap(api.GET('/api/v1/tokens', { params: { query: { limit: 100, offset: 0 } } }));
}

export const tokensQueryOptions = () => queryOptions({ queryKey: ['tokens'], queryFn: getTokens });

export function useTokens() {
  return useQuery(tokensQueryOptions());
}
