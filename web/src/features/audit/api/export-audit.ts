import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { toApiError } from '@/lib/api-error';
import { saveBlob } from '@/lib/download';
import type { AuditQuery } from '@/api/types';

export type AuditExportFilters = Omit<AuditQuery, 'limit' | 'offset'>;

/** Fetches the CSV with the bearer header (a plain link could not carry it). */
export async function exportAudit(query: AuditExportFilters): Promise<Blob> {
  const { data, error, response } = await api.GET('/api/v1/audit/export', { params: { query }, parseAs: 'blob' });
  if (!response.ok || !data) throw toApiError(error, response);
  return data;
}

export function useExportAudit() {
  return useMutation({
    mutationFn: exportAudit,
    onSuccess: (blob) => saveBlob(blob, `audit-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`),
  });
}
