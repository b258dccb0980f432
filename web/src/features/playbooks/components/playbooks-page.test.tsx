import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlaybookSummary } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { PlaybooksPage } from './playbooks-page';

const summary: PlaybookSummary = {
  id: 'p1',
  name: 'Patch servers',
  description: 'apt upgrade everywhere',
  current_version: 4,
  allow_parallel: true,
  updated_at: '2025-01-01T00:00:00Z',
  last_run: { id: 'r9', status: 'failed', queued_at: '2025-01-01T00:00:00Z' },
};

function mockApi(items: PlaybookSummary[]) {
  const urls: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      urls.push(url);
      if (url.pathname === '/api/v1/playbooks') return json(200, { items, total: items.length, limit: 25, offset: 0 });
      return json(404, { code: 'not_found', message: 'not found' });
    }),
  );
  return urls;
}

describe('PlaybooksPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('lists playbooks with version and a last-run badge linking to the run, and searches', async () => {
    signInForTests(['playbooks:read', 'playbooks:manage']);
    const urls = mockApi([summary]);
    renderWithProviders(<PlaybooksPage />);
    const row = await screen.findByTestId('playbook-row');
    expect(row).toHaveTextContent('Patch servers');
    expect(row).toHaveTextContent('v4');
    expect(screen.getByTestId('playbook-link-p1')).toHaveAttribute('href', '/playbooks/p1');
    expect(screen.getByTestId('playbook-last-run')).toHaveAttribute('href', '/runs/r9');
    expect(screen.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    expect(screen.getByTestId('playbooks-new')).toHaveAttribute('href', '/playbooks/new');
    await userEvent.type(screen.getByTestId('playbooks-search'), 'patch');
    await waitFor(() => expect(urls.at(-1)?.searchParams.get('q')).toBe('patch'));
  });

  it('shows an empty state with a create call to action, hidden from viewers', async () => {
    signInForTests(['playbooks:read', 'playbooks:manage']);
    mockApi([]);
    const { unmount } = renderWithProviders(<PlaybooksPage />);
    expect(await screen.findByTestId('empty-state')).toHaveTextContent('No playbooks yet');
    expect(screen.getAllByText('Create playbook').length).toBeGreaterThan(1);
    unmount();
    signInForTests(['playbooks:read']);
    renderWithProviders(<PlaybooksPage />);
    expect(await screen.findByTestId('empty-state')).toBeInTheDocument();
    expect(screen.queryByText('Create playbook')).not.toBeInTheDocument();
  });
});
