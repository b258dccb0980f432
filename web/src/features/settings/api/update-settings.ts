import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { Settings, SettingsBody } from '@/api/types';
import { settingsQueryOptions } from './get-settings';

export function updateSettings(body: SettingsBody): Promise<Settings> {
  return unwrap(api.PUT('/api/v1/settings', { body }));
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSettings,
    onSuccess: (saved) => queryClient.setQueryData(settingsQueryOptions().queryKey, saved),
  });
}
