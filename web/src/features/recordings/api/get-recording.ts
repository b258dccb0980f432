import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { toApiError } from '@/lib/api-error';
import { parseAsciicast, type Asciicast } from '../lib/asciicast';
import { recordingKeys } from './keys';

/** The recording's asciicast v2 text, fetched with the bearer header (the server audits each view). */
export async function getRecordingText(id: string): Promise<string> {
  const { data, error, response } = await api.GET('/api/v1/terminal/recordings/{id}', { params: { path: { id } }, parseAs: 'text' });
  if (!response.ok || typeof data !== 'string') throw toApiError(error, response);
  return data;
}

export async function getRecording(id: string): Promise<Asciicast> {
  return parseAsciicast(await getRecordingText(id));
}

export const recordingQueryOptions = (id: string) =>
  // Every fetch is audited server-side: fetch once per player, no background refetches.
  queryOptions({
    queryKey: recordingKeys.cast(id),
    queryFn: () => getRecording(id),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });

export function useRecording(id: string | null) {
  return useQuery({ ...recordingQueryOptions(id ?? ''), enabled: id !== null });
}
