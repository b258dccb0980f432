import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundRoute() {
  const { t } = useTranslation();
  return (
    <Stack align="center" py="xl">
      <Title order={2}>{t('errors.pageNotFound')}</Title>
      <Text c="dimmed">{t('errors.pageNotFoundText')}</Text>
      <Button component={Link} to="/">
        {t('errors.backHome')}
      </Button>
    </Stack>
  );
}
