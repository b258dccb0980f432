import { Badge, Code, Drawer, Group, List, Stack, Text } from '@mantine/core';
import { IconLink } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { useSecretUsage } from '../api/get-secret-usage';

/** What references a secret (`kind:name` entries from the server). */
export function UsageDrawer({ secret, onClose }: { secret: Secret; onClose: () => void }) {
  const { t } = useTranslation();
  const usage = useSecretUsage(secret.id);
  return (
    <Drawer opened onClose={onClose} position="right" title={t('secrets.usageTitle', { name: secret.name })}>
      <Stack data-testid="secret-usage">
        <Text size="sm" c="dimmed">
          {t('secrets.nameHint', { ref: `{{ secret:${secret.name} }}` })}
        </Text>
        {usage.isError ? (
          <QueryError error={usage.error} onRetry={() => void usage.refetch()} />
        ) : !usage.data ? (
          <TableSkeleton rows={3} />
        ) : usage.data.items.length === 0 ? (
          <EmptyState title={t('secrets.usageEmpty')} icon={<IconLink size={28} />} />
        ) : (
          <>
            <Group>
              <Badge variant="light">{t('secrets.usageCount', { count: usage.data.total })}</Badge>
            </Group>
            <List spacing="xs" size="sm">
              {usage.data.items.map((item) => (
                <List.Item key={item}>
                  <Code>{item}</Code>
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Stack>
    </Drawer>
  );
}
