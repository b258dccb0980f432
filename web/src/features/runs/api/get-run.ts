import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { RunDetail } from '@/api/types';
import { runKeys } from './keys';

export function getRun(id: string): Promise<RunDetail> {
  return unwrap(api.GET('/api/v1/runs/{id}', { params: { path: { id } } }));
}

export const runQueryOptions = (id: string) => queryOptions({ queryKey: runKeys.detail(id), queryFn: () => getRun(id) });

export function useRun(id: string) {
  return useQuery(runQueryOptions(id));
}
