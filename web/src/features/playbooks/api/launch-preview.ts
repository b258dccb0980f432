import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { LaunchPreview, LaunchRequest } from '@/api/types';
import { playbookKeys } from './keys';

/** Exactly what a launch would run; changes nothing. */
export function previewLaunch(id: string, body: LaunchRequest): Promise<LaunchPreview> {
  return unwrap(api.POST('/api/v1/playbooks/{id}/launch/preview', { params: { path: { id } }, body }));
}

/** Keyed by the serialised body, so pass a debounced one. */
export const launchPreviewQueryOptions = (id: string, body: string) =>
  queryOptions({
    queryKey: playbookKeys.preview(id, body),
    queryFn: () => previewLaunch(id, JSON.parse(body) as LaunchRequest),
    placeholderData: keepPreviousData,
    staleTime: 5000,
  });

export function useLaunchPreview(id: string, body: string) {
  return useQuery(launchPreviewQueryOptions(id, body));
}
