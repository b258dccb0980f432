import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { InventorySettings, InventorySettingsBody } from '@/api/types';
import { inventorySettingsQueryOptions } from './get-inventory-settings';

export function updateInventorySettings(body: InventorySettingsBody): Promise<InventorySettings> {
  return unwrap(api.PUT('/api/v1/inventory/settings', { body }));
}

export function useUpdateInventorySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateInventorySettings,
    onSuccess: (saved) => queryClient.setQueryData(inventorySettingsQueryOptions().queryKey, saved),
  });
}
