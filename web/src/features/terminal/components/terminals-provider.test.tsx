import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TerminalSession } from '@/api/types';
import { renderWithProviders } from '@/testing/render';
import { signInForTests } from '@/testing/session';
import { useTerminals } from '../lib/terminals-context';
import { HostTerminal } from './host-terminal';
import { TerminalsProvider } from './terminals-provider';

// xterm.js needs a real browser; the provider's flow is what is under test here.
vi.mock('../lib/xterm-session', () => ({
  OPEN_SIZE: { cols: 80, rows: 24 },
  XtermSession: class {
    session: TerminalSession;
    client = { getSnapshot: () => ({ status: { kind: 'connected' }, rttMs: null, hostMs: null }), subscribe: () => () => undefined };
    constructor(session: TerminalSession) {
      this.session = session;
    }
    dispose() {}
  },
}));

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const opened: TerminalSession = {
  id: 's1',
  host_id: 'h1',
  host_name: 'web-01',
  login: 'deploy',
  started_at: '2025-01-01T00:00:00Z',
  host_key_fingerprint: 'SHA256:abc',
  ticket: 'tk',
};

const CHANGED = 'The host key changed (expected SHA256:old, got SHA256:new). Refusing to connect; an administrator must accept the new key after checking it.';

type Call = { method: string; path: string; body: unknown };

function mockServer(answer: (call: Call, n: number) => Response) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname;
      const text = req.method === 'GET' || req.method === 'DELETE' ? '' : await req.text();
      const call = { method: req.method, path, body: text ? JSON.parse(text) : null };
      if (req.method === 'GET' && path === '/api/v1/terminal/sessions') return json(200, []);
      calls.push(call);
      return answer(call, calls.length);
    }),
  );
  return calls;
}

function Trigger() {
  const terminals = useTerminals();
  const [result, setResult] = useState('');
  return (
    <>
      <button type="button" onClick={() => void terminals.openForHost({ id: 'h1', name: 'web-01' }).then((o) => setResult(o.kind))}>
        open
      </button>
      <output data-testid="result">{result}</output>
      <output data-testid="tabs">{terminals.sessions.map((s) => s.session.id).join(',')}</output>
    </>
  );
}

describe('opening a terminal', () => {
  beforeEach(() => signInForTests(['terminal:open', 'hosts:read']));
  afterEach(() => vi.unstubAllGlobals());

  it('asks about an unknown host key and opens again with the accepted fingerprint', async () => {
    const calls = mockServer((_, n) =>
      n === 1
        ? json(428, { code: 'host_key_unknown', message: 'First connection', algorithm: 'ssh-ed25519', fingerprint: 'SHA256:abc' })
        : json(201, opened),
    );
    renderWithProviders(
      <TerminalsProvider>
        <Trigger />
      </TerminalsProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'open' }));
    const dialog = await screen.findByTestId('host-key-dialog');
    expect(dialog).toHaveTextContent('first connection to web-01');
    expect(screen.getByTestId('host-key-algorithm')).toHaveTextContent('ssh-ed25519');
    expect(screen.getByTestId('host-key-fingerprint')).toHaveTextContent('SHA256:abc');
    expect(dialog).toHaveTextContent(/verify it out of band/i);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({ method: 'POST', path: '/api/v1/terminal/sessions', body: { host_id: 'h1', cols: 80, rows: 24 } });

    await userEvent.click(screen.getByTestId('host-key-accept'));
    await waitFor(() => expect(screen.getByTestId('result')).toHaveTextContent('opened'));
    expect(calls[1]).toEqual({
      method: 'POST',
      path: '/api/v1/terminal/sessions',
      body: { host_id: 'h1', cols: 80, rows: 24, accept_host_key: 'SHA256:abc' },
    });
    expect(screen.getByTestId('tabs')).toHaveTextContent('s1');
    expect(screen.queryByTestId('host-key-dialog')).not.toBeInTheDocument();
  });

  it('does not open when the unknown key is declined', async () => {
    const calls = mockServer(() => json(428, { code: 'host_key_unknown', message: 'm', algorithm: 'ssh-rsa', fingerprint: 'SHA256:x' }));
    renderWithProviders(
      <TerminalsProvider>
        <Trigger />
      </TerminalsProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'open' }));
    await screen.findByTestId('host-key-dialog');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByTestId('result')).toHaveTextContent('cancelled'));
    expect(calls).toHaveLength(1);
    expect(screen.getByTestId('tabs')).toBeEmptyDOMElement();
  });

  it('shows a changed host key prominently; an operator is told to ask an administrator', async () => {
    mockServer(() => json(409, { code: 'host_key_changed', message: CHANGED, details: { expected: 'SHA256:old', got: 'SHA256:new' } }));
    renderWithProviders(
      <TerminalsProvider>
        <Trigger />
      </TerminalsProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'open' }));
    expect(await screen.findByTestId('host-key-changed-message')).toHaveTextContent(CHANGED);
    expect(screen.getByTestId('host-key-changed')).toHaveTextContent(/ask an administrator/i);
    expect(screen.queryByTestId('host-key-changed-fingerprint')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('result')).toHaveTextContent('failed'));
  });

  it('lets an administrator accept the changed key with the fingerprint they checked, then connects', async () => {
    signInForTests(['terminal:open', 'hosts:read', 'host_keys:manage']);
    const calls = mockServer((call, n) => {
      if (call.path === '/api/v1/hosts/h1/host-key/accept') return json(200, { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:new' });
      return n === 1 ? json(409, { code: 'host_key_changed', message: CHANGED, details: { expected: 'SHA256:old', got: 'SHA256:new' } }) : json(201, opened);
    });
    renderWithProviders(
      <TerminalsProvider>
        <Trigger />
      </TerminalsProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'open' }));
    await screen.findByTestId('host-key-changed-message');
    await userEvent.type(screen.getByTestId('host-key-changed-fingerprint'), ' SHA256:new ');
    await userEvent.click(screen.getByTestId('host-key-changed-accept'));
    await waitFor(() => expect(screen.getByTestId('tabs')).toHaveTextContent('s1'));
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api/v1/terminal/sessions',
      'POST /api/v1/hosts/h1/host-key/accept',
      'POST /api/v1/terminal/sessions',
    ]);
    expect(calls[1]?.body).toEqual({ fingerprint: 'SHA256:new' });
  });

  it('the host tab opens on sight and explains a missing credential inline', async () => {
    mockServer(() => json(422, { code: 'validation_failed', message: 'This host has no SSH credential.', details: { fields: { credential: 'required' } } }));
    renderWithProviders(
      <TerminalsProvider>
        <HostTerminal host={{ id: 'h1', name: 'web-01' }} />
      </TerminalsProvider>,
    );
    expect(await screen.findByTestId('terminal-open-error')).toHaveTextContent('This host has no SSH credential.');
    expect(screen.getByTestId('terminal-open')).toBeInTheDocument();
  });

  it('hides everything from a user without terminal:open', () => {
    signInForTests(['hosts:read']);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    renderWithProviders(
      <TerminalsProvider>
        <HostTerminal host={{ id: 'h1', name: 'web-01' }} />
      </TerminalsProvider>,
    );
    expect(screen.getByTestId('empty-state')).toHaveTextContent(/may not open terminals/);
    expect(fetch).not.toHaveBeenCalled();
  });
});
