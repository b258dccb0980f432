import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Host } from '@/api/types';
import { hostKeys } from './keys';

export function getHost(id: string): Promise<Host> {
  return unwrap(api.GET('/api/v1/hosts/{id}', { params: { path: { id } } }));
}

export const hostQueryOptions = (id: string) => queryOptions({ queryKey: hostKeys.detail(id), queryFn: () => getHost(id) });

export function useHost(id: string) {
  return useQuery(hostQueryOptions(id));
}
