import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconServerCog } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function AuthLayout({ title, subtitle, children, toolbar }: { title: string; subtitle?: string; children: ReactNode; toolbar?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="var(--mantine-color-body)">
      {toolbar ? (
        <Group justify="flex-end" p="md">
          {toolbar}
        </Group>
      ) : null}
      <Center py={toolbar ? 'md' : 80} px="md">
        <Stack w="100%" maw={420} gap="lg">
          <Group gap="xs" justify="center">
            <IconServerCog size={32} color="var(--mantine-primary-color-filled)" />
            <Text fw={700} size="xl">
              {t('app.name')}
            </Text>
          </Group>
          <Paper withBorder shadow="sm" p="xl" radius="md">
            <Title order={3} mb={subtitle ? 4 : 'md'}>
              {title}
            </Title>
            {subtitle ? (
              <Text c="dimmed" size="sm" mb="md">
                {subtitle}
              </Text>
            ) : null}
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
