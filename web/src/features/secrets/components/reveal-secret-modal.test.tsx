import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Secret } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { RevealSecretModal } from './reveal-secret-modal';

const VALUE = 'S3cret-Value-That-Must-Not-Linger';
const PASSWORD = 'my-admin-password';

const secret: Secret = {
  id: '22222222-2222-2222-2222-222222222222',
  name: 'e2e/db.password',
  kind: 'password',
  description: '',
  scope: 'global',
  tags: {},
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  version: 1,
  value_version: 1,
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function stubReveal() {
  const bodies: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const body = (await req.json()) as { password: string };
      bodies.push(body);
      if (body.password !== PASSWORD) return json(422, { code: 'validation_failed', message: 'invalid', details: { fields: { password: 'wrong' } } });
      return json(200, { value: VALUE });
    }),
  );
  return bodies;
}

/** Opens the modal like the page does: mounted while open, unmounted on close. */
function Harness({ client }: { client: QueryClient }) {
  const [open, setOpen] = useState(true);
  return (
    <QueryClientProvider client={client}>
      {open ? <RevealSecretModal secret={secret} onClose={() => setOpen(false)} /> : <span data-testid="closed" />}
    </QueryClientProvider>
  );
}

async function revealWith(user: ReturnType<typeof userEvent.setup>, password: string) {
  await user.type(await screen.findByLabelText(/Your password/), password);
  await user.click(screen.getByTestId('reveal-submit'));
}

function cacheText(client: QueryClient): string {
  const queries = client.getQueryCache().getAll().map((q) => q.state);
  const mutations = client.getMutationCache().getAll().map((m) => m.state);
  return JSON.stringify({ queries, mutations });
}

describe('RevealSecretModal', () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('shows the value masked, then drops it after 30 s with a countdown', async () => {
    const bodies = stubReveal();
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithProviders(<Harness client={new QueryClient()} />);
    await revealWith(user, PASSWORD);

    const value = await screen.findByTestId('revealed-value');
    expect(bodies).toEqual([{ password: PASSWORD }]);
    expect(value).not.toHaveTextContent(VALUE);
    await user.click(screen.getByTestId('reveal-toggle'));
    expect(screen.getByTestId('revealed-value')).toHaveTextContent(VALUE);
    expect(screen.getByTestId('reveal-countdown')).toHaveTextContent('Hidden in 30 s');

    act(() => vi.advanceTimersByTime(10_000));
    expect(screen.getByTestId('reveal-countdown')).toHaveTextContent('Hidden in 20 s');
    expect(screen.getByTestId('revealed-value')).toHaveTextContent(VALUE);

    act(() => vi.advanceTimersByTime(20_000));
    await waitFor(() => expect(screen.queryByTestId('revealed-value')).not.toBeInTheDocument());
    expect(screen.getByTestId('reveal-auto-hidden')).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(VALUE);
  });

  it('keeps neither the value nor the password in the query cache after closing', async () => {
    stubReveal();
    const client = new QueryClient();
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithProviders(<Harness client={client} />);
    await revealWith(user, PASSWORD);
    await user.click(await screen.findByTestId('reveal-toggle'));
    expect(screen.getByTestId('revealed-value')).toHaveTextContent(VALUE);

    await user.click(screen.getByTestId('reveal-close'));
    await screen.findByTestId('closed');
    act(() => vi.advanceTimersByTime(1_000));

    expect(document.body.textContent).not.toContain(VALUE);
    const cached = cacheText(client);
    expect(cached).not.toContain(VALUE);
    expect(cached).not.toContain(PASSWORD);
    expect(client.getQueryCache().getAll()).toHaveLength(0);
  });

  it('says when the password is wrong', async () => {
    stubReveal();
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithProviders(<Harness client={new QueryClient()} />);
    await revealWith(user, 'not-my-password');
    expect(await screen.findByText('The password is incorrect.')).toBeInTheDocument();
    expect(screen.queryByTestId('revealed-value')).not.toBeInTheDocument();
  });
});
