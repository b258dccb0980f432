import type { RunsQuery } from '@/api/types';

export type RunFilterValues = { q: string; status: string[]; kind: string[] };

export const EMPTY_RUN_FILTERS: RunFilterValues = { q: '', status: [], kind: [] };

export function hasRunFilters(f: RunFilterValues): boolean {
  return f.q.trim() !== '' || f.status.length > 0 || f.kind.length > 0;
}

/** The list query: comma-separated statuses and kinds, only the filters set. */
export function toRunsQuery(f: RunFilterValues, paging: { limit: number; offset: number }): RunsQuery {
  const query: RunsQuery = { limit: paging.limit, offset: paging.offset };
  if (f.q.trim()) query.q = f.q.trim();
  if (f.status.length) query.status = f.status.join(',');
  if (f.kind.length) query.kind = f.kind.join(',');
  return query;
}
