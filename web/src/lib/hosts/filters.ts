import { HOST_SORT_FIELDS, type HostSortField, type HostsExportQuery, type HostsQuery } from '@/api/types';

/** The list's state as kept in the URL, so a filtered, sorted page can be shared as a link. */
export type HostFilters = {
  q: string;
  status: string[];
  environment: string[];
  os: string[];
  /** `key=value` or `key` (has the tag); all must match. */
  tag: string[];
  credential: string;
  sort: HostSortField;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
};

export const PAGE_SIZES = [10, 25, 50, 100];
export const DEFAULT_FILTERS: HostFilters = {
  q: '',
  status: [],
  environment: [],
  os: [],
  tag: [],
  credential: '',
  sort: 'name',
  order: 'asc',
  limit: 25,
  offset: 0,
};

const list = (params: URLSearchParams, key: string) =>
  (params.get(key) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

const int = (raw: string | null, fallback: number, ok: (n: number) => boolean) => {
  const n = Number(raw);
  return raw !== null && Number.isInteger(n) && ok(n) ? n : fallback;
};

export function parseHostFilters(params: URLSearchParams): HostFilters {
  const sort = params.get('sort');
  return {
    q: params.get('q') ?? '',
    status: list(params, 'status'),
    environment: list(params, 'environment'),
    os: list(params, 'os'),
    tag: list(params, 'tag'),
    credential: params.get('credential') ?? '',
    sort: (HOST_SORT_FIELDS as readonly string[]).includes(sort ?? '') ? (sort as HostSortField) : DEFAULT_FILTERS.sort,
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    limit: int(params.get('limit'), DEFAULT_FILTERS.limit, (n) => PAGE_SIZES.includes(n)),
    offset: int(params.get('offset'), 0, (n) => n >= 0),
  };
}

/** Only what differs from the defaults goes into the URL. */
export function toSearchParams(f: HostFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  for (const key of ['status', 'environment', 'os', 'tag'] as const) if (f[key].length) p.set(key, f[key].join(','));
  if (f.credential) p.set('credential', f.credential);
  if (f.sort !== DEFAULT_FILTERS.sort) p.set('sort', f.sort);
  if (f.order !== DEFAULT_FILTERS.order) p.set('order', f.order);
  if (f.limit !== DEFAULT_FILTERS.limit) p.set('limit', String(f.limit));
  if (f.offset) p.set('offset', String(f.offset));
  return p;
}

export function hasHostFilters(f: HostFilters): boolean {
  return Boolean(f.q.trim() || f.status.length || f.environment.length || f.os.length || f.tag.length || f.credential);
}

/** The filter part of the query, shared by the list and the export. */
export function toFilterQuery(f: HostFilters): Omit<HostsExportQuery, 'format'> {
  const joined = (v: string[]) => (v.length ? v.join(',') : undefined);
  return {
    q: f.q.trim() || undefined,
    status: joined(f.status),
    environment: joined(f.environment),
    os: joined(f.os),
    tag: joined(f.tag),
    credential: f.credential || undefined,
  };
}

export function toHostsQuery(f: HostFilters): HostsQuery {
  return { ...toFilterQuery(f), sort: f.order === 'desc' ? `-${f.sort}` : f.sort, limit: f.limit, offset: f.offset };
}

/** A tag filter as typed: `key=value` or `key`; null when the key is not a valid tag key. */
export function parseTagFilter(raw: string): string | null {
  const s = raw.trim();
  const [key = '', ...rest] = s.split('=');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(key.trim())) return null;
  if (rest.length === 0) return key.trim();
  const value = rest.join('=').trim();
  if (value.includes(',')) return null;
  return `${key.trim()}=${value}`;
}
