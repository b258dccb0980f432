import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, parseHostFilters, parseTagFilter, toHostsQuery, toSearchParams } from './filters';

describe('host filters in the URL', () => {
  it('round-trips through search params and leaves defaults out', () => {
    const f = { ...DEFAULT_FILTERS, q: 'web', status: ['online', 'offline'], tag: ['env=prod', 'role'], sort: 'latency' as const, order: 'desc' as const, offset: 50 };
    const params = toSearchParams(f);
    expect(params.toString()).toBe('q=web&status=online%2Coffline&tag=env%3Dprod%2Crole&sort=latency&order=desc&offset=50');
    expect(parseHostFilters(params)).toEqual(f);
    expect(toSearchParams(DEFAULT_FILTERS).toString()).toBe('');
  });

  it('ignores unknown sort fields and page sizes', () => {
    const f = parseHostFilters(new URLSearchParams('sort=drop&limit=7&offset=-1'));
    expect(f.sort).toBe('name');
    expect(f.limit).toBe(25);
    expect(f.offset).toBe(0);
  });

  it('becomes the API query with comma-joined lists', () => {
    expect(toHostsQuery({ ...DEFAULT_FILTERS, environment: ['prod', 'stage'] })).toEqual({
      q: undefined,
      status: undefined,
      environment: 'prod,stage',
      os: undefined,
      tag: undefined,
      credential: undefined,
      sort: 'name',
      limit: 25,
      offset: 0,
    });
  });

  it('sends a descending sort as a leading minus', () => {
    expect(toHostsQuery({ ...DEFAULT_FILTERS, sort: 'latency', order: 'desc' }).sort).toBe('-latency');
  });

  it('parses tag filters', () => {
    expect(parseTagFilter(' env = prod ')).toBe('env=prod');
    expect(parseTagFilter('role')).toBe('role');
    expect(parseTagFilter('bad key')).toBeNull();
    expect(parseTagFilter('a=b,c')).toBeNull();
  });
});
