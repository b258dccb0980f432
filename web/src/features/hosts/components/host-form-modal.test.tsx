import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { HostFormModal } from './host-form-modal';
import { json } from './test-helpers';

const noCredentials = { items: [], total: 0, limit: 500, offset: 0 };

describe('HostFormModal', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('validates before sending and tells to use the port field', async () => {
    const fetch = vi.fn(async (_req: Request) => json(200, noCredentials));
    vi.stubGlobal('fetch', fetch);
    renderWithProviders(<HostFormModal onClose={vi.fn()} />);
    await userEvent.type(await screen.findByLabelText(/^Name/), 'web-01');
    await userEvent.type(screen.getByLabelText(/^Address/), 'web-01:2222');
    await userEvent.click(screen.getByTestId('host-submit'));
    expect(await screen.findByText(/put the port in the Port field/)).toBeInTheDocument();
    expect(fetch.mock.calls.every(([req]) => !req.url.endsWith('/api/v1/hosts'))).toBe(true);
  });

  it('tests the connection inline and maps server field errors onto the form', async () => {
    const calls: { url: string; body: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const url = new URL(req.url).pathname;
        if (req.method === 'GET') return json(200, noCredentials);
        calls.push({ url, body: await req.json() });
        if (url === '/api/v1/hosts/test-connection') return json(200, { status: 'offline', method: 'tcp', latency_ms: null, error: 'connection refused' });
        return json(422, { code: 'validation_failed', message: 'invalid', details: { fields: { name: 'already taken' } } });
      }),
    );
    renderWithProviders(<HostFormModal onClose={vi.fn()} />);
    await userEvent.type(await screen.findByLabelText(/^Name/), 'web-01');
    await userEvent.type(screen.getByLabelText(/^Address/), '127.0.0.1');
    await userEvent.click(screen.getByTestId('test-connection'));
    const result = await screen.findByTestId('test-connection-result');
    expect(result).toHaveAttribute('data-status', 'offline');
    expect(result).toHaveTextContent('connection refused');
    expect(calls[0]).toEqual({ url: '/api/v1/hosts/test-connection', body: { address: '127.0.0.1', port: 22, environment: null, credential: null, check_method: null, legacy_ssh: false } });

    await userEvent.click(screen.getByTestId('host-submit'));
    expect(await screen.findByText('already taken')).toBeInTheDocument();
    await waitFor(() => expect(calls[1]?.url).toBe('/api/v1/hosts'));
  });
});
