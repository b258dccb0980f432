import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { HostsPage } from './hosts-page';
import { eventStream, json, makeHost, makePage } from './test-helpers';

type Call = { method: string; url: URL; body: unknown };

function mockApi(handlers: { events?: () => Response; list?: (url: URL) => Response } = {}) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (req: Request) => {
    const url = new URL(req.url);
    const body: unknown = req.method === 'GET' ? undefined : await req.json();
    calls.push({ method: req.method, url, body });
    if (url.pathname === '/api/v1/hosts/events') return handlers.events ? handlers.events() : eventStream().response;
    if (url.pathname === '/api/v1/hosts' && req.method === 'GET') return handlers.list ? handlers.list(url) : json(200, makePage([makeHost()]));
    if (url.pathname === '/api/v1/hosts/bulk-delete') return json(200, { deleted: ['web-01'], missing: [] });
    if (url.pathname === '/api/v1/groups' && req.method === 'GET')
      return json(200, {
        items: [
          { id: 'g-static', name: 'web', kind: 'static', description: '', variables: {}, member_count: 0, parents: [], children: [], created_at: '', updated_at: '', version: 1 },
          { id: 'g-dyn', name: 'prod', kind: 'dynamic', rule: 'environment == "prod"', description: '', variables: {}, member_count: 3, parents: [], children: [], created_at: '', updated_at: '', version: 1 },
        ],
        total: 2,
      });
    if (url.pathname === '/api/v1/groups/g-static/members') return json(200, { changed: 1 });
    return json(404, { code: 'not_found', message: 'not found' });
  });
  vi.stubGlobal('fetch', fetch);
  const listCalls = () => calls.filter((c) => c.url.pathname === '/api/v1/hosts' && c.method === 'GET');
  return { calls, listCalls };
}

describe('HostsPage', () => {
  beforeEach(() => signInForTests(['hosts:read', 'hosts:create', 'hosts:update', 'hosts:delete', 'hosts:check']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('shows facet counts and sends filter and sort parameters', async () => {
    const { listCalls } = mockApi();
    renderWithProviders(<HostsPage />, { route: '/hosts?environment=prod' });
    expect(await screen.findByTestId('facet-count-status-online')).toHaveTextContent('2');
    expect(screen.getByTestId('facet-count-environment-none')).toHaveTextContent('1');
    expect(screen.getByTestId('facet-environment-prod')).toBeChecked();
    expect(listCalls()[0]?.url.searchParams.get('environment')).toBe('prod');

    await userEvent.click(screen.getByTestId('facet-status-offline'));
    await waitFor(() => expect(listCalls().at(-1)?.url.searchParams.get('status')).toBe('offline'));
    expect(listCalls().at(-1)?.url.searchParams.get('environment')).toBe('prod');

    await userEvent.click(screen.getByTestId('sort-address'));
    await waitFor(() => expect(listCalls().at(-1)?.url.searchParams.get('sort')).toBe('address'));
    await userEvent.click(screen.getByTestId('sort-address'));
    await waitFor(() => expect(listCalls().at(-1)?.url.searchParams.get('sort')).toBe('-address'));

    await userEvent.type(screen.getByTestId('tag-filter-input'), 'env=prod{enter}');
    await waitFor(() => expect(listCalls().at(-1)?.url.searchParams.get('tag')).toBe('env=prod'));
    expect(listCalls().at(-1)?.url.searchParams.get('limit')).toBe('25');
  });

  it('shows calls to action when there are no hosts at all', async () => {
    mockApi({ list: () => json(200, makePage([], { facets: { status: [], environment: [], os: [] } })) });
    renderWithProviders(<HostsPage />);
    const empty = await screen.findByTestId('empty-state');
    expect(empty).toHaveTextContent('No hosts yet');
    expect(within(empty).getByTestId('empty-create-host')).toBeInTheDocument();
    expect(within(empty).getByText('Import')).toBeInTheDocument();
  });

  it('asks for confirmation before a bulk delete and then posts the ids', async () => {
    const { calls } = mockApi();
    renderWithProviders(<HostsPage />);
    await userEvent.click(await screen.findByLabelText('Select web-01'));
    expect(screen.getByTestId('bulk-count')).toHaveTextContent('Selected: 1');
    await userEvent.click(screen.getByTestId('bulk-delete-open'));
    const dialog = await screen.findByTestId('bulk-delete');
    expect(dialog).toHaveTextContent('Delete 1 selected host(s)?');
    expect(calls.some((c) => c.url.pathname === '/api/v1/hosts/bulk-delete')).toBe(false);
    await userEvent.click(within(dialog).getByTestId('bulk-delete-confirm'));
    await waitFor(() => expect(calls.find((c) => c.url.pathname === '/api/v1/hosts/bulk-delete')?.body).toEqual({ ids: ['h1'] }));
  });

  it('adds the selected hosts to a static group chosen in the dialog', async () => {
    signInForTests(['hosts:read', 'groups:manage']);
    const { calls } = mockApi();
    renderWithProviders(<HostsPage />);
    await userEvent.click(await screen.findByLabelText('Select web-01'));
    await userEvent.click(screen.getByTestId('bulk-add-to-group'));
    const dialog = await screen.findByTestId('add-to-group');
    await userEvent.click(within(dialog).getByTestId('add-to-group-select'));
    // only static groups are offered
    expect(screen.queryByRole('option', { name: 'prod', hidden: true })).not.toBeInTheDocument();
    await userEvent.click(await screen.findByRole('option', { name: 'web', hidden: true }));
    await userEvent.click(within(dialog).getByTestId('add-to-group-submit'));
    await waitFor(() => expect(calls.find((c) => c.url.pathname === '/api/v1/groups/g-static/members')?.body).toEqual({ ids: ['h1'] }));
  });

  it('offers "Add to group" only with groups:manage', async () => {
    signInForTests(['hosts:read', 'hosts:update']);
    mockApi();
    renderWithProviders(<HostsPage />);
    await userEvent.click(await screen.findByLabelText('Select web-01'));
    expect(screen.getByTestId('bulk-actions')).toBeInTheDocument();
    expect(screen.queryByTestId('bulk-add-to-group')).not.toBeInTheDocument();
  });

  it('patches the list cache from live status events so the badge changes without a refetch', async () => {
    const stream = eventStream();
    const { listCalls } = mockApi({ events: () => stream.response });
    const { queryClient } = renderWithProviders(<HostsPage />);
    const badge = await screen.findByTestId('host-status-web-01');
    expect(badge).toHaveTextContent('Unknown');
    const update = { host_id: 'h1', name: 'web-01', status: 'online', previous: 'unknown', method: 'tcp', checked_at: '2030-01-01T00:00:00Z', latency_ms: 1.5, error: null };
    const text = `: keep-alive\n\nevent: host.status\ndata: ${JSON.stringify(update)}\n\n`;
    await act(async () => {
      stream.push(text.slice(0, 30));
      stream.push(text.slice(30));
    });
    await waitFor(() => expect(screen.getByTestId('host-status-web-01')).toHaveTextContent('Online'));
    expect(listCalls()).toHaveLength(1);
    const cached = queryClient.getQueriesData<{ items: { status: string; latency_ms: number }[] }>({ queryKey: ['hosts', 'list'] });
    expect(cached[0]?.[1]?.items[0]).toMatchObject({ status: 'online', latency_ms: 1.5 });
  });
});
