import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLocation } from 'react-router';
import type { Run } from '@/api/types';
import { json, makeHost } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { RunsPage } from './runs-page';

const PB = '0b0e5c2a-1111-4a4a-8b8b-000000000001';
const USER = '0b0e5c2a-2222-4a4a-8b8b-000000000002';
const HOST = '0b0e5c2a-3333-4a4a-8b8b-000000000003';

const run: Run = {
  id: 'r1',
  kind: 'key_deploy',
  status: 'succeeded',
  trigger: 'user',
  created_by_name: 'alice',
  title: 'ssh-ed25519 AAAA… alice@laptop',
  target: {},
  parameters: {},
  summary: { total: 3, pending: 0, running: 0, succeeded: 2, failed: 1, unreachable: 0, timed_out: 0, canceled: 0, skipped: 0 },
  queued_at: '2025-01-01T00:00:00Z',
  started_at: '2025-01-01T00:00:01Z',
  finished_at: '2025-01-01T00:00:02.5Z',
  duration_ms: 1500,
};

function mockApi(items: Run[], total = items.length) {
  const urls: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      urls.push(url);
      if (url.pathname === '/api/v1/runs') return json(200, { items, total, limit: 25, offset: 0 });
      if (url.pathname === '/api/v1/playbooks')
        return json(200, { items: [{ id: PB, name: 'Patch', description: '', current_version: 1, allow_parallel: true, updated_at: '2025-01-01T00:00:00Z' }], total: 1, limit: 500, offset: 0 });
      if (url.pathname === '/api/v1/users') return json(200, { items: [{ id: USER, username: 'bob', display_name: 'Bob B' }], total: 1, limit: 500, offset: 0 });
      if (url.pathname === '/api/v1/hosts') {
        const hosts = [makeHost({ id: HOST, name: 'db-01', address: '10.0.0.5' })];
        return json(200, { items: hosts, total: 1, limit: 20, offset: 0, facets: {} });
      }
      return json(404, { code: 'not_found', message: 'not found' });
    }),
  );
  const runsCalls = () => urls.filter((u) => u.pathname === '/api/v1/runs');
  return { urls, lastRuns: () => runsCalls().at(-1)?.searchParams };
}

/** Shows the router's query string, to check what a reload or a shared link would restore. */
function Search() {
  return <div data-testid="location-search">{useLocation().search}</div>;
}

const page = (route = '/runs') =>
  renderWithProviders(
    <>
      <RunsPage />
      <Search />
    </>,
    { route },
  );
const search = () => new URLSearchParams(screen.getByTestId('location-search').textContent ?? '');

describe('RunsPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  describe('as an operator', () => {
    beforeEach(() => signInForTests(['runs:read', 'runs:execute', 'playbooks:read', 'hosts:read']));

    it('lists runs with kind, summary, times, duration and a link, and filters by text', async () => {
      const api = mockApi([run]);
      page();
      const row = await screen.findByTestId('run-row');
      expect(row).toHaveTextContent('Key deploy');
      expect(row).toHaveTextContent('alice');
      expect(screen.getByTestId('run-duration')).toHaveTextContent('1.5 s');
      expect(screen.getByTestId('summary-succeeded')).toHaveTextContent('Succeeded: 2');
      expect(screen.getByTestId('summary-failed')).toHaveTextContent('Failed: 1');
      expect(screen.getByTestId('run-link-r1')).toHaveAttribute('href', '/runs/r1');
      expect(screen.getByTestId('runs-new')).toBeInTheDocument();
      // Newest first by default, and the default is not spelled out in the request or the URL.
      expect(api.lastRuns()?.get('sort')).toBeNull();
      expect(screen.getByTestId('sort-queued_at').closest('th')).toHaveAttribute('aria-sort', 'descending');
      await userEvent.type(screen.getByTestId('runs-search'), 'deploy');
      await waitFor(() => expect(api.lastRuns()?.get('q')).toBe('deploy'));
      expect(api.lastRuns()?.get('offset')).toBe('0');
      expect(search().get('q')).toBe('deploy');
    });

    it('restores filters, sort and page from the URL', async () => {
      const api = mockApi([{ ...run, trigger: 'schedule', created_by_name: 'scheduler' }], 60);
      page(`/runs?status=failed,lost&kind=playbook&trigger=schedule&playbook=${PB}&host=${HOST}&from=2025-03-01&to=2025-03-02&sort=title&offset=25`);
      expect(await screen.findByTestId('run-trigger')).toHaveTextContent('Schedule');
      const q = api.lastRuns();
      expect(q?.get('status')).toBe('failed,lost');
      expect(q?.get('kind')).toBe('playbook');
      expect(q?.get('trigger')).toBe('schedule');
      expect(q?.get('playbook')).toBe(PB);
      expect(q?.get('host')).toBe(HOST);
      expect(q?.get('sort')).toBe('title');
      expect(q?.get('offset')).toBe('25');
      expect(q?.get('since')).toBeTruthy();
      expect(q?.get('until')).toBeTruthy();
      expect(screen.getByTestId('sort-title').closest('th')).toHaveAttribute('aria-sort', 'ascending');
      // The chosen playbook and host are shown by name (the host looked up by id).
      await waitFor(() => expect(screen.getByTestId('runs-filter-playbook')).toHaveValue('Patch'));
      await waitFor(() => expect(screen.getByTestId('runs-filter-host')).toHaveValue('db-01 (10.0.0.5)'));
      expect(api.urls.some((u) => u.pathname === '/api/v1/hosts' && u.searchParams.get('ids') === HOST)).toBe(true);
      // Page 2 of 3 is the active one.
      expect(screen.getByRole('button', { name: '2' })).toHaveAttribute('data-active', 'true');
      // The user filter needs users:read.
      expect(screen.queryByTestId('runs-filter-user')).not.toBeInTheDocument();

      await userEvent.click(screen.getByTestId('runs-clear-filters'));
      await waitFor(() => expect(search().toString()).toBe('sort=title'));
    });

    it('sorts by a column header, toggles the direction and goes back to the first page', async () => {
      const api = mockApi([run], 60);
      page('/runs?offset=50');
      await screen.findByTestId('run-row');
      await userEvent.click(screen.getByTestId('sort-started_at'));
      await waitFor(() => expect(api.lastRuns()?.get('sort')).toBe('started_at'));
      expect(api.lastRuns()?.get('offset')).toBe('0');
      expect(search().get('sort')).toBe('started_at');
      await userEvent.click(screen.getByTestId('sort-started_at'));
      await waitFor(() => expect(api.lastRuns()?.get('sort')).toBe('-started_at'));
      expect(search().get('sort')).toBe('-started_at');
    });

    it('keeps the page in the URL and picks a playbook from the list', async () => {
      const api = mockApi([run], 60);
      page();
      await screen.findByTestId('run-row');
      await userEvent.click(screen.getByRole('button', { name: '3' }));
      await waitFor(() => expect(api.lastRuns()?.get('offset')).toBe('50'));
      expect(search().get('offset')).toBe('50');
      await userEvent.click(screen.getByTestId('runs-filter-playbook'));
      await userEvent.click(await screen.findByRole('option', { name: 'Patch', hidden: true }));
      await waitFor(() => expect(api.lastRuns()?.get('playbook')).toBe(PB));
      expect(api.lastRuns()?.get('offset')).toBe('0');
      expect(search().get('playbook')).toBe(PB);
      expect(search().get('offset')).toBeNull();
    });
  });

  it('searches hosts by name once the host list is opened', async () => {
    signInForTests(['runs:read', 'hosts:read']);
    const api = mockApi([run]);
    page();
    await screen.findByTestId('run-row');
    expect(api.urls.some((u) => u.pathname === '/api/v1/hosts')).toBe(false);
    await userEvent.type(screen.getByTestId('runs-filter-host'), 'db');
    await waitFor(() => expect(api.urls.some((u) => u.pathname === '/api/v1/hosts' && u.searchParams.get('q') === 'db')).toBe(true));
    await userEvent.click(await screen.findByRole('option', { name: 'db-01 (10.0.0.5)', hidden: true }));
    await waitFor(() => expect(api.lastRuns()?.get('host')).toBe(HOST));
    expect(search().get('host')).toBe(HOST);
  });

  it('offers the user filter to those who may read users', async () => {
    signInForTests(['runs:read', 'users:read']);
    const api = mockApi([run]);
    page();
    await userEvent.click(await screen.findByTestId('runs-filter-user'));
    await userEvent.click(await screen.findByRole('option', { name: 'bob (Bob B)', hidden: true }));
    await waitFor(() => expect(api.lastRuns()?.get('user')).toBe(USER));
    expect(search().get('user')).toBe(USER);
    // Without playbooks:read and hosts:read those filters are not offered.
    expect(screen.queryByTestId('runs-filter-playbook')).not.toBeInTheDocument();
    expect(screen.queryByTestId('runs-filter-host')).not.toBeInTheDocument();
  });

  it('shows an empty state without a launch button to viewers', async () => {
    signInForTests(['runs:read']);
    mockApi([]);
    page();
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No runs yet');
    expect(screen.queryByTestId('runs-new')).not.toBeInTheDocument();
    expect(screen.queryByTestId('runs-filter-user')).not.toBeInTheDocument();
  });
});
