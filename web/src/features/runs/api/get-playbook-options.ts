import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { PlaybookPage } from '@/api/types';
import { runKeys } from './keys';

/** Playbook names for the history's playbook filter (the first 500, by name). */
export function getPlaybookOptions(): Promise<PlaybookPage> {
  return unwrap(api.GET('/api/v1/playbooks', { params: { query: { limit: 500 } } }));
}

export const playbookOptionsQueryOptions = () => queryOptions({ queryKey: runKeys.playbookOptions(), queryFn: getPlaybookOptions, staleTime: 60_000 });

export function usePlaybookOptions(enabled = true) {
  return useQuery({ ...playbookOptionsQueryOptions(), enabled });
}
