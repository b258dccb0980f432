import dayjs from 'dayjs';
import { RUN_KINDS, RUN_STATUSES, RUN_TRIGGERS, type RunsQuery } from '@/api/types';
import type { SortState } from '@/lib/sort';

/** Columns the history can be sorted by (the API's `sort` fields). */
export const RUN_SORT_FIELDS = ['queued_at', 'started_at', 'finished_at', 'title', 'status', 'kind'] as const;
export type RunSortField = (typeof RUN_SORT_FIELDS)[number];

export const RUN_PAGE_SIZES = [10, 25, 50, 100];

/**
 * The history's state as kept in the URL, so a reload or a shared link shows the same view.
 * Ids for playbook, user and host; `from` and `to` are local days (`YYYY-MM-DD`), both inclusive.
 */
export type RunFilterValues = {
  q: string;
  status: string[];
  kind: string[];
  trigger: string[];
  playbook: string;
  user: string;
  host: string;
  from: string;
  to: string;
  sort: SortState;
  limit: number;
  offset: number;
};

export const DEFAULT_RUN_SORT: SortState = { field: 'queued_at', desc: true };

export const EMPTY_RUN_FILTERS: RunFilterValues = {
  q: '',
  status: [],
  kind: [],
  trigger: [],
  playbook: '',
  user: '',
  host: '',
  from: '',
  to: '',
  sort: DEFAULT_RUN_SORT,
  limit: 25,
  offset: 0,
};

/** The parts a "clear filters" resets (sort and page size stay). */
export const FILTER_KEYS = ['q', 'status', 'kind', 'trigger', 'playbook', 'user', 'host', 'from', 'to'] as const;

const known = (allowed: readonly string[]) => (params: URLSearchParams, key: string) =>
  (params.get(key) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => allowed.includes(v));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = (raw: string | null) => (raw && UUID.test(raw) ? raw.toLowerCase() : '');
/** A real calendar day as `YYYY-MM-DD` (dayjs alone would roll `2025-13-45` over into a later date). */
const day = (raw: string | null) => (raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) && dayjs(raw).format('YYYY-MM-DD') === raw ? raw : '');
const int = (raw: string | null, fallback: number, ok: (n: number) => boolean) => {
  const n = Number(raw);
  return raw !== null && raw !== '' && Number.isInteger(n) && ok(n) ? n : fallback;
};

/** `sort=-title` → `{field: 'title', desc: true}`; unknown fields fall back to newest first. */
export function parseRunSort(raw: string | null): SortState {
  if (!raw) return DEFAULT_RUN_SORT;
  const desc = raw.startsWith('-');
  const field = desc ? raw.slice(1) : raw;
  return (RUN_SORT_FIELDS as readonly string[]).includes(field) ? { field, desc } : DEFAULT_RUN_SORT;
}

/** Reads the view from the URL, dropping whatever is not a known value. */
export function parseRunFilters(params: URLSearchParams): RunFilterValues {
  return {
    q: params.get('q') ?? '',
    status: known(RUN_STATUSES)(params, 'status'),
    kind: known(RUN_KINDS)(params, 'kind'),
    trigger: known(RUN_TRIGGERS)(params, 'trigger'),
    playbook: uuid(params.get('playbook')),
    user: uuid(params.get('user')),
    host: uuid(params.get('host')),
    from: day(params.get('from')),
    to: day(params.get('to')),
    sort: parseRunSort(params.get('sort')),
    limit: int(params.get('limit'), EMPTY_RUN_FILTERS.limit, (n) => RUN_PAGE_SIZES.includes(n)),
    offset: int(params.get('offset'), 0, (n) => n >= 0),
  };
}

/** Only what differs from the defaults goes into the URL. */
export function toRunSearchParams(f: RunFilterValues): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  for (const key of ['status', 'kind', 'trigger'] as const) if (f[key].length) p.set(key, f[key].join(','));
  for (const key of ['playbook', 'user', 'host', 'from', 'to'] as const) if (f[key]) p.set(key, f[key]);
  if (f.sort.field !== DEFAULT_RUN_SORT.field || f.sort.desc !== DEFAULT_RUN_SORT.desc) p.set('sort', f.sort.desc ? `-${f.sort.field}` : f.sort.field);
  if (f.limit !== EMPTY_RUN_FILTERS.limit) p.set('limit', String(f.limit));
  if (f.offset) p.set('offset', String(f.offset));
  return p;
}

export function hasRunFilters(f: RunFilterValues): boolean {
  return Boolean(f.q.trim() || f.status.length || f.kind.length || f.trigger.length || f.playbook || f.user || f.host || f.from || f.to);
}

/** The first and last day picked as the API's bounds: from the start of `from` to the end of `to` (a single day is that whole day). */
export function dayBounds(from: string, to: string): { since?: string; until?: string } {
  const first = from || to;
  const last = to || from;
  return {
    since: first ? dayjs(first).startOf('day').toISOString() : undefined,
    until: last ? dayjs(last).add(1, 'day').startOf('day').toISOString() : undefined,
  };
}

/** The list query: comma-separated lists, only the filters set, the sort as `-field` for descending. */
export function toRunsQuery(f: RunFilterValues): RunsQuery {
  const query: RunsQuery = { limit: f.limit, offset: f.offset };
  if (f.q.trim()) query.q = f.q.trim();
  if (f.status.length) query.status = f.status.join(',');
  if (f.kind.length) query.kind = f.kind.join(',');
  if (f.trigger.length) query.trigger = f.trigger.join(',');
  if (f.playbook) query.playbook = f.playbook;
  if (f.user) query.user = f.user;
  if (f.host) query.host = f.host;
  const { since, until } = dayBounds(f.from, f.to);
  if (since) query.since = since;
  if (until) query.until = until;
  const sort = f.sort.desc ? `-${f.sort.field}` : f.sort.field;
  if (sort !== '-queued_at') query.sort = sort;
  return query;
}
