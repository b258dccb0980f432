import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { ValidateResult } from '@/api/types';
import { playbookKeys } from './keys';

/** Checks YAML as the save would (line and message of the first problem). */
export function validatePlaybook(content: string): Promise<ValidateResult> {
  return unwrap(api.POST('/api/v1/playbooks/validate', { body: { content } }));
}

export const validateQueryOptions = (content: string) =>
  queryOptions({ queryKey: playbookKeys.validate(content), queryFn: () => validatePlaybook(content), placeholderData: keepPreviousData, staleTime: 60_000 });

/** Live feedback for the editor: pass the debounced text. */
export function useValidatePlaybook(content: string) {
  return useQuery({ ...validateQueryOptions(content), enabled: content.trim() !== '' });
}
