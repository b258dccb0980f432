import { Alert, Button } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../api/logout';
import { AuthLayout } from './auth-layout';
import { ChangePasswordForm } from './change-password-form';

/** Shown whenever the user must change their password; nothing else is reachable until then. */
export function ForcedPasswordChangePage({ username, toolbar }: { username: string; toolbar?: ReactNode }) {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <AuthLayout title={t('auth.changeTitle')} toolbar={toolbar}>
      <Alert color="yellow" icon={<IconLock />} mb="md" data-testid="forced-change-notice">
        {t('auth.changeRequired')}
      </Alert>
      <ChangePasswordForm username={username} />
      <Button variant="subtle" color="gray" fullWidth mt="md" onClick={() => logout.mutate()} loading={logout.isPending}>
        {t('header.logout')}
      </Button>
    </AuthLayout>
  );
}
