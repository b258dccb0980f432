import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { PreviewResult, PreviewRuleBody } from '@/api/types';
import { groupKeys } from './keys';

export const PREVIEW_HOSTS = 10;

/** Parses a rule (text or tree) and counts its matches; an invalid rule is a 200 with `error`. */
export function previewRule(body: PreviewRuleBody): Promise<PreviewResult> {
  return unwrap(api.POST('/api/v1/groups/preview', { body }));
}

export const previewRuleQueryOptions = (body: PreviewRuleBody) =>
  queryOptions({ queryKey: groupKeys.preview(body), queryFn: () => previewRule(body), placeholderData: keepPreviousData, staleTime: 5000 });

export function usePreviewRule(body: PreviewRuleBody | null) {
  return useQuery({ ...previewRuleQueryOptions(body ?? {}), enabled: body !== null });
}
