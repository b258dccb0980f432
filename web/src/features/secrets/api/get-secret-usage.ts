import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { SecretUsage } from '@/api/types';

export function getSecretUsage(id: string): Promise<SecretUsage> {
  return unwrap(api.GET('/api/v1/secrets/{id}/usage', { params: { path: { id } } }));
}

export const secretUsageQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['secrets', 'usage', id], queryFn: () => getSecretUsage(id), staleTime: 0 });

export function useSecretUsage(id: string) {
  return useQuery(secretUsageQueryOptions(id));
}
