import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Settings } from '@/api/types';

export function getSettings(): Promise<Settings> {
  return unwrap(api.GET('/api/v1/settings'));
}

export const settingsQueryOptions = () => queryOptions({ queryKey: ['settings'], queryFn: getSettings });

export function useSettings() {
  return useQuery(settingsQueryOptions());
}
