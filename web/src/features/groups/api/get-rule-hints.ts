import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { RuleHints } from '@/api/types';
import { groupKeys } from './keys';

/** Fields, operators, known tag keys/values and group names for autocomplete. */
export function getRuleHints(): Promise<RuleHints> {
  return unwrap(api.GET('/api/v1/groups/rule-hints'));
}

export const ruleHintsQueryOptions = () => queryOptions({ queryKey: groupKeys.hints(), queryFn: getRuleHints, staleTime: 60_000 });

export function useRuleHints() {
  return useQuery(ruleHintsQueryOptions());
}
