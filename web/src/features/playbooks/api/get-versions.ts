import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { PlaybookVersion } from '@/api/types';
import { playbookKeys } from './keys';

/** A playbook's content versions, newest first. */
export function getVersions(id: string): Promise<PlaybookVersion[]> {
  return unwrap(api.GET('/api/v1/playbooks/{id}/versions', { params: { path: { id } } }));
}

export const versionsQueryOptions = (id: string) => queryOptions({ queryKey: playbookKeys.versions(id), queryFn: () => getVersions(id) });

export function useVersions(id: string) {
  return useQuery(versionsQueryOptions(id));
}
