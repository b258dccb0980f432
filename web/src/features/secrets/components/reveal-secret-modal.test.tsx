import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { RevealedSecret, Secret } from '@/api/types';
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

function stubReveal(revealed: RevealedSecret = { value: VALUE }) {
  const bodies: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const body = (await req.json()) as { password: string };
      bodies.push(body);
      if (body.password !== PASSWORD) return json(422, { code: 'validation_failed', message: 'invalid', details: { fields: { password: 'wrong' } } });
      return json(200, revealed);
    }),
  );
  return bodies;
}

/** Opens the modal like the page does: mounted while open, unmounted on close. */
function Harness({ client, of = secret }: { client: QueryClient; of?: Secret }) {
  const [open, setOpen] = useState(true);
  return (
    <QueryClientProvider client={client}>
      {open ? <RevealSecretModal secret={of} onClose={() => setOpen(false)} /> : <span data-testid="closed" />}
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

  it('offers a file as a download, decoded from base64, instead of showing its bytes', async () => {
    const content = 'AAEC+v9oaQ==';
    stubReveal({ value: content, file_name: 'ca.der' });
    const blobs: Blob[] = [];
    // jsdom has no object URLs and does not navigate: record what would be saved.
    const { createObjectURL, revokeObjectURL } = URL;
    URL.createObjectURL = (b: Blob) => (blobs.push(b), 'blob:ca');
    URL.revokeObjectURL = () => {};
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    onTestFinished(() => {
      Object.assign(URL, { createObjectURL, revokeObjectURL });
      click.mockRestore();
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithProviders(<Harness client={new QueryClient()} of={{ ...secret, name: 'certs/ca', kind: 'file', file_name: 'ca.der', size: 7 }} />);
    await revealWith(user, PASSWORD);

    await user.click(await screen.findByTestId('reveal-download'));
    expect(screen.queryByTestId('revealed-value')).not.toBeInTheDocument();
    expect(screen.getByTestId('revealed-file_name')).not.toHaveTextContent('ca.der');
    expect(document.body.textContent).not.toContain(content);
    expect(clicked.map((a) => [a.download, a.href])).toEqual([['ca.der', 'blob:ca']]);
    expect(blobs).toHaveLength(1);
    const saved = await blobs[0]?.arrayBuffer();
    expect([...new Uint8Array(saved ?? new ArrayBuffer(0))]).toEqual([0, 1, 2, 250, 255, 104, 105]);
  });

  it('shows each part of an SSH credential masked, with its own show and copy buttons, and hides them all after 30 s', async () => {
    stubReveal({ value: 'login-pw', username: 'deploy', become_password: 'sudo-pw' });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithProviders(<Harness client={new QueryClient()} of={{ ...secret, kind: 'ssh_credential', username: 'deploy' }} />);
    await revealWith(user, PASSWORD);

    const become = await screen.findByTestId('revealed-become_password');
    expect(become).not.toHaveTextContent('sudo-pw');
    expect(screen.getByTestId('revealed-value')).not.toHaveTextContent('login-pw');
    expect(screen.getByTestId('reveal-copy-username')).toBeInTheDocument();
    expect(screen.getByTestId('reveal-copy-become_password')).toBeInTheDocument();
    await user.click(screen.getByTestId('reveal-toggle-become_password'));
    expect(become).toHaveTextContent('sudo-pw');
    await user.click(screen.getByTestId('reveal-toggle-username'));
    expect(screen.getByTestId('revealed-username')).toHaveTextContent('deploy');
    expect(screen.getByTestId('revealed-value')).not.toHaveTextContent('login-pw');

    act(() => vi.advanceTimersByTime(30_000));
    await waitFor(() => expect(screen.queryByTestId('reveal-shown')).not.toBeInTheDocument());
    expect(document.body.textContent).not.toContain('sudo-pw');
  });

  it('shows a key\'s passphrase next to the private key', async () => {
    stubReveal({ value: 'PRIVATE', passphrase: 'pp' });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithProviders(<Harness client={new QueryClient()} of={{ ...secret, kind: 'ssh_key' }} />);
    await revealWith(user, PASSWORD);
    await user.click(await screen.findByTestId('reveal-toggle-passphrase'));
    expect(screen.getByTestId('revealed-passphrase')).toHaveTextContent('pp');
    expect(screen.getByText('Private key')).toBeInTheDocument();
  });
});
