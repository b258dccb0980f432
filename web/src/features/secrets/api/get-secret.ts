import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Secret } from '@/api/types';

/** Metadata only: the server never returns a value here. */
export function getSecret(id: string): Promise<Secret> {
  return unwrap(api.GET('/api/v1/secrets/{id}', { params: { path: { id } } }));
}

export const secretQueryOptions = (id: string) => queryOptions({ queryKey: ['secrets', 'detail', id], queryFn: () => getSecret(id) });

export function useSecret(id: string) {
  return useQuery(secretQueryOptions(id));
}
