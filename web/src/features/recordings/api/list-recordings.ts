import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { RecordingPage, RecordingsQuery } from '@/api/types';
import { recordingKeys } from './keys';

/** Terminal recordings, newest first (needs `recordings:view`). */
export function listRecordings(query: RecordingsQuery): Promise<RecordingPage> {
  return unwrap(api.GET('/api/v1/terminal/recordings', { params: { query } }));
}

export const recordingsQueryOptions = (query: RecordingsQuery) =>
  queryOptions({ queryKey: recordingKeys.list(query), queryFn: () => listRecordings(query), placeholderData: keepPreviousData });

export function useRecordings(query: RecordingsQuery) {
  return useQuery(recordingsQueryOptions(query));
}
