import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermission } from '@/lib/auth/use-auth';

export function RequirePermission({ permission, children }: { permission?: string; children: ReactNode }) {
  const { t } = useTranslation();
  const allowed = usePermission(permission ?? '');
  if (permission && !allowed) {
    return (
      <Alert color="yellow" icon={<IconLock />} title={t('errors.forbidden')}>
        {t('errors.noAccess')}
      </Alert>
    );
  }
  return children;
}
