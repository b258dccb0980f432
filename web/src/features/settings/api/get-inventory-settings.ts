import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { InventorySettings } from '@/api/types';

export function getInventorySettings(): Promise<InventorySettings> {
  return unwrap(api.GET('/api/v1/inventory/settings'));
}

export const inventorySettingsQueryOptions = () => queryOptions({ queryKey: ['settings', 'inventory'], queryFn: getInventorySettings });

export function useInventorySettings() {
  return useQuery(inventorySettingsQueryOptions());
}
