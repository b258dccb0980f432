import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { PlaybookPage, PlaybooksQuery } from '@/api/types';
import { playbookKeys } from './keys';

export function getPlaybooks(query: PlaybooksQuery): Promise<PlaybookPage> {
  return unwrap(api.GET('/api/v1/playbooks', { params: { query } }));
}

export const playbooksQueryOptions = (query: PlaybooksQuery) =>
  queryOptions({ queryKey: playbookKeys.list(query), queryFn: () => getPlaybooks(query), placeholderData: keepPreviousData });

export function usePlaybooks(query: PlaybooksQuery) {
  return useQuery(playbooksQueryOptions(query));
}
