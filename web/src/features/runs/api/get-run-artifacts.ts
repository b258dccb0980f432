import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { ArtifactInfo } from '@/api/types';
import { runKeys } from './keys';

/** The files a playbook run wrote to its artifacts directory. */
export function getRunArtifacts(id: string): Promise<ArtifactInfo[]> {
  return unwrap(api.GET('/api/v1/runs/{id}/artifacts', { params: { path: { id } } }));
}

/** Keyed by `finished` too: read again when the run finishes (artifacts are written at the end). */
export const runArtifactsQueryOptions = (id: string, finished: boolean) =>
  queryOptions({ queryKey: [...runKeys.artifacts(id), finished] as const, queryFn: () => getRunArtifacts(id) });

export function useRunArtifacts(id: string, finished: boolean) {
  return useQuery(runArtifactsQueryOptions(id, finished));
}
