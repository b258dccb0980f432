import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import type { ResolvedTargets, Run } from '@/api/types';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { EMPTY_DRAFT } from '../lib/targets';
import { RunCommandModal } from './run-command-modal';

type Call = { method: string; path: string; body: unknown };

const run = { id: '11111111-2222-3333-4444-555555555555', status: 'queued' } as Run;

function mockApi(resolved: ResolvedTargets, start: () => Response = () => json(202, run)) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      const body: unknown = req.method === 'GET' ? undefined : await req.json();
      calls.push({ method: req.method, path: url.pathname, body });
      if (url.pathname === '/api/v1/runs/targets') return json(200, resolved);
      if (url.pathname === '/api/v1/runs/commands') return start();
      if (url.pathname === '/api/v1/groups') return json(200, { items: [], total: 0 });
      return json(404, { code: 'not_found', message: 'not found' });
    }),
  );
  return calls;
}

function renderModal() {
  const onClose = vi.fn();
  renderWithProviders(
    <Routes>
      <Route path="/hosts" element={<RunCommandModal initial={{ ...EMPTY_DRAFT, hosts: ['h1', 'h2'], hostNames: { h1: 'web-01', h2: 'web-02' } }} onClose={onClose} />} />
      <Route path="/runs/:id" element={<div data-testid="run-page-stub" />} />
    </Routes>,
    { route: '/hosts' },
  );
  return onClose;
}

describe('RunCommandModal', () => {
  beforeEach(() => signInForTests(['runs:read', 'runs:execute']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('shows the live count with warnings, summarises the command and starts the run', async () => {
    const calls = mockApi({
      total: 2,
      hosts: [
        { id: 'h1', name: 'web-01', address: '10.0.0.1', status: 'online' },
        { id: 'h2', name: 'web-02', address: '10.0.0.2', status: 'online' },
      ],
      without_credential: 1,
      without_host_key: 2,
    });
    const onClose = renderModal();
    await waitFor(() => expect(screen.getByTestId('targets-count')).toHaveAttribute('data-count', '2'));
    expect(calls.find((c) => c.path === '/api/v1/runs/targets')?.body).toEqual({ hosts: ['h1', 'h2'] });
    expect(screen.getByTestId('targets-hosts')).toHaveTextContent('web-01, web-02');
    expect(screen.getByTestId('targets-warning-credential')).toHaveTextContent('without a credential (they would fail): 1');
    expect(screen.getByTestId('targets-warning-hostkey')).toHaveTextContent(': 2');

    await userEvent.type(screen.getByTestId('run-command-input'), 'df -h');
    await userEvent.click(screen.getByTestId('run-sudo'));
    await userEvent.type(screen.getByTestId('run-concurrency'), '5');
    expect(screen.getByTestId('run-summary-line')).toHaveTextContent('Run “df -h” on hosts: 2; with sudo, 5 at a time, default timeout.');

    await userEvent.click(screen.getByTestId('run-submit'));
    await screen.findByTestId('run-page-stub');
    expect(onClose).toHaveBeenCalled();
    expect(calls.find((c) => c.path === '/api/v1/runs/commands')?.body).toEqual({
      targets: { hosts: ['h1', 'h2'] },
      command: 'df -h',
      sudo: true,
      stop_on_failure: false,
      concurrency: 5,
    });
  });

  it('puts the server’s field errors on the form fields', async () => {
    mockApi({ total: 2, hosts: [], without_credential: 0, without_host_key: 0 }, () =>
      json(422, { code: 'validation_failed', message: 'invalid', details: { fields: { command: 'must not contain NUL', 'targets.rule': 'unknown field' } } }),
    );
    renderModal();
    await waitFor(() => expect(screen.getByTestId('targets-count')).toHaveAttribute('data-count', '2'));
    await userEvent.type(screen.getByTestId('run-command-input'), 'ls');
    await userEvent.click(screen.getByTestId('run-submit'));
    expect(await screen.findByText('must not contain NUL')).toBeInTheDocument();
    expect(screen.getByText('unknown field')).toBeInTheDocument();
  });

  it('does not submit an empty command', async () => {
    const calls = mockApi({ total: 2, hosts: [], without_credential: 0, without_host_key: 0 });
    renderModal();
    await waitFor(() => expect(screen.getByTestId('run-submit')).toBeEnabled());
    await userEvent.click(screen.getByTestId('run-submit'));
    expect(await screen.findByText('Required')).toBeInTheDocument();
    expect(calls.some((c) => c.path === '/api/v1/runs/commands')).toBe(false);
  });
});
