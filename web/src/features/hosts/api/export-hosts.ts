import { useMutation } from '@tanstack/react-query';
import type { HostsExportQuery, InventoryFormat } from '@/api/types';
import { api } from '@/lib/api-client';
import { toApiError } from '@/lib/api-error';
import { saveBlob } from '@/lib/download';

const EXTENSIONS: Record<InventoryFormat, string> = {
  csv: 'csv',
  json: 'json',
  yaml: 'yaml',
  ansible_ini: 'ini',
  ansible_yaml: 'yml',
};

/** Fetches the file with the bearer header (a plain link could not carry it). */
export async function exportHosts(query: HostsExportQuery): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/v1/hosts/export', { params: { query }, parseAs: 'blob' });
  if (!response.ok || !data) throw toApiError(error, response);
  return data;
}

export function exportFileName(format: InventoryFormat, now = new Date()): string {
  return `hosts-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${EXTENSIONS[format]}`;
}

export function useExportHosts() {
  return useMutation({
    mutationFn: exportHosts,
    onSuccess: (blob, query) => saveBlob(blob, exportFileName(query.format ?? 'csv')),
  });
}
