import type { LoginResponse } from '@/api/types';
import { resetAuthForTests, setSession } from '@/lib/auth/session-store';

/** Signs a fake user in with `permissions` (the UI hides what they do not allow). */
export function signInForTests(permissions: string[]): void {
  resetAuthForTests();
  setSession({
    access_token: 'test-token',
    token_type: 'Bearer',
    expires_in: 3600,
    permissions,
    user: {
      id: 'u1',
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
    },
  } as LoginResponse);
}

export { resetAuthForTests };
