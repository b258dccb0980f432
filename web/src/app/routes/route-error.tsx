import { Alert, Button, Code, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';

export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  return (
    <Stack p="xl">
      <Alert color="red" icon={<IconAlertTriangle />} title={t('errors.unexpected')}>
        <Code block>{error instanceof Error ? error.message : String(error)}</Code>
        <Button mt="md" variant="light" color="red" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>
      </Alert>
    </Stack>
  );
}
