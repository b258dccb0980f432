import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { ResolvedTargets, TargetSpec } from '@/api/types';
import { runKeys } from './keys';

/** How many hosts a selection resolves to (and which lack a credential or a host key); changes nothing. */
export function resolveTargets(spec: TargetSpec): Promise<ResolvedTargets> {
  return unwrap(api.POST('/api/v1/runs/targets', { body: spec }));
}

export const resolveTargetsQueryOptions = (spec: TargetSpec) =>
  queryOptions({ queryKey: runKeys.targets(spec), queryFn: () => resolveTargets(spec), placeholderData: keepPreviousData, staleTime: 5000 });

export function useResolvedTargets(spec: TargetSpec, enabled: boolean) {
  return useQuery({ ...resolveTargetsQueryOptions(spec), enabled });
}
