import { vi } from 'vitest';
import type { Group, Host, HostPage, PreviewResult, RuleHints } from '@/api/types';
import { json } from '@/testing/fixtures';

export { json, makeHost } from '@/testing/fixtures';

export function makeGroup(patch: Partial<Group> = {}): Group {
  return {
    id: 'g1',
    name: 'web',
    description: '',
    kind: 'static',
    rule: null,
    rule_json: null,
    variables: {},
    member_count: 1,
    parents: [],
    children: [],
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    version: 1,
    ...patch,
  };
}

export const page = (items: Host[]): HostPage => ({ items, total: items.length, limit: 25, offset: 0, facets: { status: [], environment: [], os: [] } });

export const HINTS: RuleHints = {
  fields: ['name', 'environment', 'tags.<key>'],
  operators: ['=='],
  tags: [{ key: 'role', values: ['web', 'db'] }],
  groups: ['web'],
};

type Call = { method: string; path: string; body: unknown };
type Handler = (req: { method: string; url: URL; body: unknown }) => Response | undefined;

/** Stubs fetch: `handler` answers first; rule hints and an empty group list are always there. */
export function mockApi(handler: Handler = () => undefined) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (req: Request) => {
    const url = new URL(req.url);
    const text = req.method === 'GET' ? '' : await req.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    calls.push({ method: req.method, path: url.pathname, body });
    const answer = handler({ method: req.method, url, body });
    if (answer) return answer;
    if (url.pathname === '/api/v1/groups/rule-hints') return json(200, HINTS);
    if (url.pathname === '/api/v1/groups' && req.method === 'GET') return json(200, { items: [], total: 0 });
    return json(404, { code: 'not_found', message: 'not found' });
  });
  vi.stubGlobal('fetch', fetch);
  return { calls, find: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
}

export function previewOf(patch: Partial<PreviewResult>): PreviewResult {
  return { valid: true, error: null, rule: null, rule_json: null, total: 0, hosts: [], ...patch };
}
