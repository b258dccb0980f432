import { useMutation } from '@tanstack/react-query';
import type { AnsibleFormat, InventoryQuery } from '@/api/types';
import { api } from '@/lib/api-client';
import { toApiError } from '@/lib/api-error';
import { saveBlob } from '@/lib/download';

const EXTENSIONS: Record<AnsibleFormat, string> = { json: 'json', ini: 'ini', yaml: 'yml' };

/** The Ansible inventory as a file, fetched with the bearer header (a plain link could not carry it). */
export async function exportInventory(query: InventoryQuery): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/v1/inventory', { params: { query }, parseAs: 'blob' });
  if (!response.ok || !data) throw toApiError(error, response);
  return data as Blob;
}

export function inventoryFileName(format: AnsibleFormat, groups: string[] = []): string {
  const scope = groups.length === 1 ? groups[0] : groups.length ? 'groups' : 'all';
  return `inventory-${scope}.${EXTENSIONS[format]}`;
}

export function useExportInventory() {
  return useMutation({
    mutationFn: exportInventory,
    onSuccess: (blob, query) => saveBlob(blob, inventoryFileName(query.format ?? 'json', query.groups ? query.groups.split(',') : [])),
  });
}
