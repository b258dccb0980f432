import { Badge, Drawer, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { formatDateTime } from '@/lib/format';
import { useSecret } from '../api/get-secret';
import { KindBadge } from './kind-badge';
import { SecretKindDetails } from './secret-kind-details';

/** A secret's metadata (never its value), refreshed from the server while open. */
export function SecretDetailsDrawer({ secret: initial, onClose }: { secret: Secret; onClose: () => void }) {
  const { t } = useTranslation();
  const fresh = useSecret(initial.id);
  const secret = fresh.data ?? initial;
  const tags = Object.entries(secret.tags).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={t('secrets.detailsTitle', { name: secret.name })}>
      <Stack data-testid="secret-details">
        <Group gap="xs">
          <KindBadge kind={secret.kind} />
          {tags.map(([k, v]) => (
            <Badge key={k} variant="outline" color="gray" size="sm" tt="none">
              {v ? `${k}=${v}` : k}
            </Badge>
          ))}
        </Group>
        {secret.description ? <Text size="sm">{secret.description}</Text> : null}
        <SecretKindDetails secret={secret} />
        <Table variant="vertical" layout="fixed" withTableBorder>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={140}>{t('secrets.createdAt')}</Table.Th>
              <Table.Td>{formatDateTime(secret.created_at)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('secrets.updatedAt')}</Table.Th>
              <Table.Td>{formatDateTime(secret.updated_at)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('secrets.lastUsed')}</Table.Th>
              <Table.Td>{formatDateTime(secret.last_used_at, t('common.never'))}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('secrets.expiresAt')}</Table.Th>
              <Table.Td>{formatDateTime(secret.expires_at, t('secrets.noExpiry'))}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('secrets.valueVersion')}</Table.Th>
              <Table.Td>{secret.value_version}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Stack>
    </Drawer>
  );
}
