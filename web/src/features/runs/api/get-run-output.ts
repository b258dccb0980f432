import { api } from '@/lib/api-client';
import { unwrap } from '@/lib/api-error';
import type { OutputChunk, RunOutputQuery } from '@/api/types';

/** A run's stored output in order (the live view reads the event stream instead; this is for one-off reads). */
export function getRunOutput(id: string, query: RunOutputQuery = {}): Promise<OutputChunk[]> {
  return unwrap(api.GET('/api/v1/runs/{id}/output', { params: { path: { id }, query } }));
}
