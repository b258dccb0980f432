import type { LoginResponse, User } from '@/api/types';

// The access token lives only in this module's memory (never in storage); the refresh
// token is an HttpOnly cookie the browser sends to /auth/refresh by itself.

export const API_BASE = '/api/v1';

export type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; reason?: 'expired' | 'logged_out' }
  | { status: 'authenticated'; user: User; permissions: string[]; accessToken: string; expiresAt: number };

let state: AuthState = { status: 'loading' };
const listeners = new Set<() => void>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<boolean> | null = null;
/** When another tab last handed us a fresh session (ms since epoch). */
let sharedAt = 0;

// Tabs share one refresh-token cookie that rotates on every use, and the server refuses a
// rotated token. So tabs refresh one at a time (Web Locks) and hand each other the result
// (BroadcastChannel, same origin, memory only), and a logout in one tab ends them all.
type TabMessage = { type: 'session'; res: LoginResponse } | { type: 'logout' };
const channel: BroadcastChannel | null = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('itmgr-auth');
(channel as unknown as { unref?: () => void } | null)?.unref?.();
channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => {
  const msg = event.data;
  if (msg.type === 'session') {
    sharedAt = Date.now();
    applySession(msg.res);
  } else if (msg.type === 'logout' && state.status === 'authenticated') {
    clearTimeout(refreshTimer);
    emit({ status: 'anonymous', reason: 'logged_out' });
  }
});

function emit(next: AuthState) {
  state = next;
  listeners.forEach((l) => l());
}

export function getAuthState(): AuthState {
  return state;
}

export function subscribeAuth(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getAccessToken(): string | null {
  return state.status === 'authenticated' ? state.accessToken : null;
}

/** Seconds before expiry at which the token is refreshed proactively. */
export function refreshLeadSeconds(expiresIn: number): number {
  return Math.min(60, Math.max(1, Math.floor(expiresIn * 0.2)));
}

function scheduleRefresh(expiresIn: number) {
  clearTimeout(refreshTimer);
  const delay = Math.max(1, expiresIn - refreshLeadSeconds(expiresIn)) * 1000;
  refreshTimer = setTimeout(() => {
    void refreshSession();
  }, delay);
}

export function setSession(res: LoginResponse): void {
  applySession(res);
  channel?.postMessage({ type: 'session', res } satisfies TabMessage);
}

function applySession(res: LoginResponse): void {
  scheduleRefresh(res.expires_in);
  emit({
    status: 'authenticated',
    user: res.user,
    permissions: res.permissions,
    accessToken: res.access_token,
    expiresAt: Date.now() + res.expires_in * 1000,
  });
}

/** Replace the user (e.g. after a password change or a /auth/me reload) keeping the token. */
export function updateUser(user: User, permissions?: string[]): void {
  if (state.status !== 'authenticated') return;
  emit({ ...state, user, permissions: permissions ?? state.permissions });
}

/** The server said a password change is required (403 password_change_required). */
export function markPasswordChangeRequired(): void {
  if (state.status !== 'authenticated' || state.user.must_change_password) return;
  emit({ ...state, user: { ...state.user, must_change_password: true } });
}

export function clearSession(reason?: 'expired' | 'logged_out'): void {
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
  emit({ status: 'anonymous', reason });
  if (reason === 'logged_out') channel?.postMessage({ type: 'logout' } satisfies TabMessage);
}

/**
 * Exchanges the refresh cookie for a new access token. Concurrent callers share one
 * request, because the server rotates the cookie and a second use of the old one fails.
 * Resolves true when a session is established.
 */
export function refreshSession(): Promise<boolean> {
  if (inflight) return inflight;
  const wasAuthenticated = state.status === 'authenticated';
  const startedAt = Date.now();
  const run = async (): Promise<boolean> => {
    // Another tab refreshed while we waited for the lock: use its session.
    if (sharedAt >= startedAt && state.status === 'authenticated') return true;
    try {
      const res = await fetch(`${API_BASE}/auth/refresh`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!res.ok) {
        clearSession(wasAuthenticated ? 'expired' : undefined);
        return false;
      }
      setSession((await res.json()) as LoginResponse);
      return true;
    } catch {
      clearSession(wasAuthenticated ? 'expired' : undefined);
      return false;
    }
  };
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  // request() resolves with the callback's result, so the nested promise flattens.
  const locked = locks ? (locks.request('itmgr-auth-refresh', run) as unknown as Promise<boolean>) : run();
  const pending = locked.finally(() => {
    inflight = null;
  });
  inflight = pending;
  return pending;
}

/** Test helper: back to the initial state. */
export function resetAuthForTests(): void {
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
  inflight = null;
  sharedAt = 0;
  state = { status: 'loading' };
  listeners.clear();
}
