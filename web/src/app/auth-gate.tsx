import { Group } from '@mantine/core';
import { useEffect } from 'react';
import { Outlet } from 'react-router';
import { FullPageLoader } from '@/components/feedback/full-page-loader';
import { LanguageMenu } from '@/components/layout/language-menu';
import { ThemeToggle } from '@/components/layout/theme-toggle';
import { getAuthState, refreshSession } from '@/lib/auth/session-store';
import { useAuth } from '@/lib/auth/use-auth';
import { ForcedPasswordChangePage } from '@/features/auth/components/forced-password-change-page';
import { LoginPage } from '@/features/auth/components/login-page';

const toolbar = (
  <Group gap="xs">
    <ThemeToggle />
    <LanguageMenu />
  </Group>
);

/**
 * Restores the session from the refresh cookie on load, then shows the login screen,
 * the forced password change, or the app. Login stays on the requested URL, so after
 * signing in the user lands where they wanted to go.
 */
export function AuthGate() {
  const auth = useAuth();

  useEffect(() => {
    if (getAuthState().status === 'loading') void refreshSession();
  }, []);

  if (auth.status === 'loading') return <FullPageLoader />;
  if (auth.status === 'anonymous') return <LoginPage notice={auth.reason} toolbar={toolbar} />;
  if (auth.user.must_change_password) return <ForcedPasswordChangePage username={auth.user.username} toolbar={toolbar} />;
  return <Outlet />;
}
