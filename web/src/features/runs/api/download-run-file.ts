import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { toApiError } from '@/lib/api-error';
import { saveBlob } from '@/lib/download';

/** The run's whole log as text, or one artifact, fetched with the bearer header and saved. */
export async function downloadRunFile({ id, artifact }: { id: string; artifact?: string }): Promise<Blob> {
  const { data, error, response } = artifact
    ? await api.GET('/api/v1/runs/{id}/artifacts/{name}', { params: { path: { id, name: artifact } }, parseAs: 'blob' })
    : await api.GET('/api/v1/runs/{id}/log.txt', { params: { path: { id } }, parseAs: 'blob' });
  if (!response.ok || !data) throw toApiError(error, response);
  return data;
}

export function useDownloadRunFile() {
  return useMutation({
    mutationFn: downloadRunFile,
    onSuccess: (blob, { id, artifact }) => saveBlob(blob, artifact ? (artifact.split('/').pop() ?? artifact) : `run-${id.slice(0, 8)}.log`),
  });
}
