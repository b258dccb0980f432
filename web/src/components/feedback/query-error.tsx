import { Alert, Button } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@/lib/notify';

export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" icon={<IconAlertTriangle />} title={t('common.loadFailed')} role="alert">
      {errorMessage(error)}
      {onRetry ? (
        <div>
          <Button mt="sm" size="xs" variant="light" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </div>
      ) : null}
    </Alert>
  );
}
