import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoginResponse } from '@/api/types';
import { authFetch } from './auth-fetch';
import { getAuthState, refreshLeadSeconds, refreshSession, resetAuthForTests, setSession } from './session-store';

const user = {
  id: '00000000-0000-0000-0000-000000000001',
  username: 'admin',
  display_name: 'Admin',
  email: null,
  role: 'admin',
  disabled: false,
  must_change_password: false,
  last_login_at: null,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  version: 1,
} as LoginResponse['user'];

function login(token: string, expiresIn = 900): LoginResponse {
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, user, permissions: ['users:read'] };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

type Call = { url: string; auth: string | null; method: string; body?: string };

function mockServer(handler: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.clone().text();
    const call = { url: new URL(req.url).pathname, auth: req.headers.get('Authorization'), method: req.method, body };
    calls.push(call);
    return handler(call);
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

describe('auth session and fetch', () => {
  beforeEach(() => resetAuthForTests());
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    resetAuthForTests();
  });

  it('restores the session from the refresh cookie on load', async () => {
    mockServer((c) => (c.url === '/api/v1/auth/refresh' ? json(200, login('t1')) : json(404, {})));
    await expect(refreshSession()).resolves.toBe(true);
    const state = getAuthState();
    expect(state.status).toBe('authenticated');
    expect(state.status === 'authenticated' && state.accessToken).toBe('t1');
  });

  it('shows login when there is no refresh cookie (401)', async () => {
    mockServer(() => json(401, { code: 'unauthorized', message: 'no session', details: null }));
    await expect(refreshSession()).resolves.toBe(false);
    expect(getAuthState()).toEqual({ status: 'anonymous', reason: undefined });
  });

  it('sends the bearer token held in memory', async () => {
    setSession(login('abc'));
    const calls = mockServer(() => json(200, { ok: true }));
    await authFetch('/api/v1/users');
    expect(calls[0]?.auth).toBe('Bearer abc');
  });

  it('on a 401 refreshes once and retries the request with the new token and same body', async () => {
    setSession(login('old'));
    const calls = mockServer((c) => {
      if (c.url === '/api/v1/auth/refresh') return json(200, login('new'));
      return c.auth === 'Bearer new' ? json(201, { ok: true }) : json(401, { code: 'unauthorized', message: 'expired', details: null });
    });
    const res = await authFetch('/api/v1/users', { method: 'POST', body: '{"username":"x"}', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(201);
    expect(calls.map((c) => `${c.method} ${c.url} ${c.auth ?? ''}`)).toEqual([
      'POST /api/v1/users Bearer old',
      'POST /api/v1/auth/refresh ',
      'POST /api/v1/users Bearer new',
    ]);
    expect(calls[2]?.body).toBe('{"username":"x"}');
  });

  it('goes to login when the refresh fails after a 401', async () => {
    setSession(login('old'));
    mockServer(() => json(401, { code: 'unauthorized', message: 'expired', details: null }));
    const res = await authFetch('/api/v1/users');
    expect(res.status).toBe(401);
    expect(getAuthState()).toEqual({ status: 'anonymous', reason: 'expired' });
  });

  it('shares one refresh between concurrent 401s (the cookie rotates)', async () => {
    setSession(login('old'));
    const calls = mockServer(async (c) => {
      if (c.url === '/api/v1/auth/refresh') {
        await new Promise((r) => setTimeout(r, 10));
        return json(200, login('new'));
      }
      return c.auth === 'Bearer new' ? json(200, {}) : json(401, {});
    });
    const results = await Promise.all([authFetch('/api/v1/a'), authFetch('/api/v1/b'), authFetch('/api/v1/c')]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(calls.filter((c) => c.url === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('does not retry a 401 from the login endpoint', async () => {
    const calls = mockServer(() => json(401, { code: 'invalid_credentials', message: 'nope', details: null }));
    const res = await authFetch('/api/v1/auth/login', { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(calls).toHaveLength(1);
  });

  it('flags the user when the server requires a password change', async () => {
    setSession(login('abc'));
    mockServer(() => json(403, { code: 'password_change_required', message: 'change it', details: null }));
    await authFetch('/api/v1/users');
    const state = getAuthState();
    expect(state.status === 'authenticated' && state.user.must_change_password).toBe(true);
  });

  it('refreshes shortly before the access token expires', async () => {
    vi.useFakeTimers();
    const calls = mockServer(() => json(200, login('next', 300)));
    setSession(login('first', 300));
    await vi.advanceTimersByTimeAsync((300 - refreshLeadSeconds(300) - 1) * 1000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh']);
    const state = getAuthState();
    expect(state.status === 'authenticated' && state.accessToken).toBe('next');
  });

  it('shares sessions and logouts with other tabs', async () => {
    const otherTab = new BroadcastChannel('itmgr-auth');
    const received: unknown[] = [];
    otherTab.onmessage = (e: MessageEvent) => received.push(e.data);
    try {
      otherTab.postMessage({ type: 'session', res: login('from-other-tab') });
      await vi.waitFor(() => expect(getAuthState().status).toBe('authenticated'));
      const state = getAuthState();
      expect(state.status === 'authenticated' && state.accessToken).toBe('from-other-tab');

      setSession(login('mine'));
      await vi.waitFor(() => expect(received).toContainEqual({ type: 'session', res: login('mine') }));

      otherTab.postMessage({ type: 'logout' });
      await vi.waitFor(() => expect(getAuthState()).toEqual({ status: 'anonymous', reason: 'logged_out' }));
    } finally {
      otherTab.close();
    }
  });
});
