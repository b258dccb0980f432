import { API_BASE, getAccessToken, markPasswordChangeRequired, refreshSession } from './session-store';

const AUTH_PATHS = ['/auth/login', '/auth/refresh', '/auth/logout'];

function isAuthEndpoint(url: string): boolean {
  const { pathname } = new URL(url, window.location.origin);
  return AUTH_PATHS.some((p) => pathname === `${API_BASE}${p}`);
}

function withBearer(request: Request): Request {
  const token = getAccessToken();
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

async function flagPasswordChange(response: Response): Promise<void> {
  if (response.status !== 403) return;
  try {
    const body: unknown = await response.clone().json();
    if (typeof body === 'object' && body !== null && (body as { code?: unknown }).code === 'password_change_required') {
      markPasswordChangeRequired();
    }
  } catch {
    // not a JSON error body; nothing to flag
  }
}

/**
 * fetch with the in-memory bearer token. On a 401 from anything but the auth endpoints
 * it refreshes the session once and retries; if the refresh fails the session is cleared
 * and the app shows the login screen.
 */
export async function authFetch(input: Request | string, init?: RequestInit): Promise<Response> {
  const source = typeof input === 'string' ? new URL(input, window.location.origin).toString() : input;
  const request = new Request(source, { credentials: 'same-origin', ...init });
  const spare = request.clone();
  const response = await fetch(withBearer(request));
  if (response.status !== 401 || isAuthEndpoint(request.url)) {
    await flagPasswordChange(response);
    return response;
  }
  const refreshed = await refreshSession();
  if (!refreshed) return response;
  const retried = await fetch(withBearer(spare));
  await flagPasswordChange(retried);
  return retried;
}
