import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Route, Routes } from 'react-router';
import { json } from '@/testing/fixtures';
import { renderWithProviders } from '@/testing/render';
import { resetAuthForTests, signInForTests } from '@/testing/session';
import { EMPTY_DRAFT } from '../lib/targets';
import { DeployKeyModal } from './deploy-key-modal';

describe('DeployKeyModal', () => {
  beforeEach(() => signInForTests(['runs:read', 'keys:deploy']));
  afterEach(() => {
    vi.unstubAllGlobals();
    resetAuthForTests();
  });

  it('validates the pasted key, then deploys it for the chosen user and opens the run', async () => {
    const bodies: Record<string, unknown> = {};
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const url = new URL(req.url);
        if (req.method !== 'GET') bodies[url.pathname] = await req.json();
        if (url.pathname === '/api/v1/runs/targets') return json(200, { total: 1, hosts: [{ id: 'h1', name: 'web-01', address: '10.0.0.1', status: 'online' }], without_credential: 0, without_host_key: 0 });
        if (url.pathname === '/api/v1/runs/ssh-keys') return json(202, { id: 'run-9' });
        if (url.pathname === '/api/v1/groups') return json(200, { items: [], total: 0 });
        return json(404, { code: 'not_found', message: 'not found' });
      }),
    );
    renderWithProviders(
      <Routes>
        <Route path="/hosts" element={<DeployKeyModal initial={{ ...EMPTY_DRAFT, hosts: ['h1'], hostNames: { h1: 'web-01' } }} onClose={() => undefined} />} />
        <Route path="/runs/:id" element={<div data-testid="run-page-stub" />} />
      </Routes>,
      { route: '/hosts' },
    );
    await waitFor(() => expect(screen.getByTestId('targets-count')).toHaveAttribute('data-count', '1'));
    await userEvent.type(screen.getByTestId('key-public'), 'not a key');
    await userEvent.click(screen.getByTestId('key-submit'));
    expect(await screen.findByText(/Expected one public key line/)).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId('key-public'));
    await userEvent.type(screen.getByTestId('key-public'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 ops@example');
    await userEvent.type(screen.getByTestId('key-user'), 'deploy');
    await userEvent.click(screen.getByTestId('key-submit'));
    await screen.findByTestId('run-page-stub');
    expect(bodies['/api/v1/runs/ssh-keys']).toEqual({ targets: { hosts: ['h1'] }, action: 'deploy', public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 ops@example', user: 'deploy' });
  });
});
