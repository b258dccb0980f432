import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Run } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { RunsPage } from './runs-page';

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
  duration_ms: 1500,
};

function mockApi(items: Run[]) {
  const urls: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      urls.push(url);
      if (url.pathname === '/api/v1/runs') return json(200, { items, total: items.length, limit: 25, offset: 0 });
      return json(404, { code: 'not_found', message: 'not found' });
    }),
  );
  return urls;
}

describe('RunsPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  describe('as an operator', () => {
    beforeEach(() => signInForTests(['runs:read', 'runs:execute']));

    it('lists runs with kind, summary and a link, and filters by text', async () => {
      const urls = mockApi([run]);
      renderWithProviders(<RunsPage />);
      const row = await screen.findByTestId('run-row');
      expect(row).toHaveTextContent('Key deploy');
      expect(row).toHaveTextContent('alice');
      expect(row).toHaveTextContent('1.5 s');
      expect(screen.getByTestId('summary-succeeded')).toHaveTextContent('Succeeded: 2');
      expect(screen.getByTestId('summary-failed')).toHaveTextContent('Failed: 1');
      expect(screen.getByTestId('run-link-r1')).toHaveAttribute('href', '/runs/r1');
      expect(screen.getByTestId('runs-new')).toBeInTheDocument();
      await userEvent.type(screen.getByTestId('runs-search'), 'deploy');
      await waitFor(() => expect(urls.at(-1)?.searchParams.get('q')).toBe('deploy'));
      expect(urls.at(-1)?.searchParams.get('offset')).toBe('0');
    });
  });

  it('shows an empty state without a launch button to viewers', async () => {
    signInForTests(['runs:read']);
    mockApi([]);
    renderWithProviders(<RunsPage />);
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No runs yet');
    expect(screen.queryByTestId('runs-new')).not.toBeInTheDocument();
  });
});
