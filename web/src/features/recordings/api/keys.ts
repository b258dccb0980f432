import type { RecordingsQuery } from '@/api/types';

/** Query keys of the recordings feature. */
export const recordingKeys = {
  all: ['recordings'] as const,
  list: (query: RecordingsQuery) => ['recordings', 'list', query] as const,
  cast: (id: string) => ['recordings', 'cast', id] as const,
};
