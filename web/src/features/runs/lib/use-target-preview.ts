import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import type { TargetSpec } from '@/api/types';
import { useResolvedTargets } from '../api/resolve-targets';
import { isEmptySpec } from './targets';

/** Resolves a selection as it is edited (debounced): the live host count for the form. */
export function useTargetPreview(spec: TargetSpec) {
  // Debounce the serialised spec: a string compares by value, so re-renders do not restart the timer.
  const key = JSON.stringify(spec);
  const [debouncedKey] = useDebouncedValue(key, 300);
  const debounced = useMemo(() => JSON.parse(debouncedKey) as TargetSpec, [debouncedKey]);
  const empty = isEmptySpec(debounced);
  const query = useResolvedTargets(debounced, !empty);
  return { query, empty: isEmptySpec(spec), pending: debouncedKey !== key || query.isFetching, data: empty ? undefined : query.data };
}

export type TargetPreviewState = ReturnType<typeof useTargetPreview>;
