import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { SchedulePreview, SchedulePreviewRequest } from '@/api/types';
import { previewRequest, type ScheduleDraft } from '../lib/schedule-form';
import { playbookKeys } from './keys';

/** Describes a timing and lists its next fire times (422 when it is not valid). */
export function previewSchedule(body: SchedulePreviewRequest): Promise<SchedulePreview> {
  return unwrap(api.POST('/api/v1/schedules/preview', { body }));
}

/** Keyed by the serialised body, so pass a debounced one. */
export const schedulePreviewQueryOptions = (body: string) =>
  queryOptions({
    queryKey: playbookKeys.schedulePreview(body),
    queryFn: () => previewSchedule(JSON.parse(body) as SchedulePreviewRequest),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

export function useSchedulePreview(body: string, enabled: boolean) {
  return useQuery({ ...schedulePreviewQueryOptions(body), enabled });
}

/** The server's description and next fire times for a draft's timing (debounced); `request` is null while the timing is incomplete. */
export function useDraftPreview(draft: ScheduleDraft) {
  const request = previewRequest(draft);
  const key = JSON.stringify(request);
  const [debouncedKey] = useDebouncedValue(key, 400);
  const preview = useSchedulePreview(debouncedKey, request !== null && debouncedKey !== 'null');
  const pending = debouncedKey !== key || preview.isFetching;
  return { request, preview, pending };
}
