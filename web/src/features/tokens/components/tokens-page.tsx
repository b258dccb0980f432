import { ActionIcon, Badge, Button, Code, Paper, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useTokens } from '../api/get-tokens';
import { useRevokeToken } from '../api/revoke-token';
import { CreateTokenModal } from './create-token-modal';

function isExpired(token: ApiToken): boolean {
  return token.expires_at != null && new Date(token.expires_at).getTime() < Date.now();
}

export function TokensPage() {
  const { t } = useTranslation();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [createOpened, createModal] = useDisclosure(false);

  const confirmRevoke = (token: ApiToken) =>
    modals.openConfirmModal({
      title: t('tokens.revokeTitle'),
      children: <Text size="sm">{t('tokens.revokeConfirm', { name: token.name })}</Text>,
      labels: { confirm: t('common.revoke'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        revoke.mutate(token.id, {
          onSuccess: () => notifySuccess(t('tokens.revoked', { name: token.name })),
          onError: (err) => notifyError(err),
        }),
    });

  return (
    <>
      <PageHeader
        title={t('tokens.title')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="create-token">
            {t('tokens.create')}
          </Button>
        }
      />
      <Text c="dimmed" size="sm" mb="md">
        {t('tokens.intro')}
      </Text>
      <Paper withBorder p="md" radius="md">
        {tokens.isError ? (
          <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : !tokens.data ? (
          <TableSkeleton rows={3} />
        ) : tokens.data.items.length === 0 ? (
          <EmptyState title={t('tokens.empty')}>
            <Button variant="light" onClick={createModal.open}>
              {t('tokens.create')}
            </Button>
          </EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={680}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="tokens-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tokens.name')}</Table.Th>
                  <Table.Th>{t('tokens.prefix')}</Table.Th>
                  <Table.Th>{t('tokens.createdAt')}</Table.Th>
                  <Table.Th>{t('tokens.expiresAt')}</Table.Th>
                  <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                  <Table.Th w={60} aria-label={t('common.actions')} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.items.map((token) => (
                  <Table.Tr key={token.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {token.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Code>{token.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(token.created_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {isExpired(token) ? (
                        <Badge color="red" variant="light">
                          {t('tokens.expired')}
                        </Badge>
                      ) : (
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(token.expires_at, t('tokens.noExpiry'))}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(token.last_used_at, t('common.never'))}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('common.revoke')}>
                        <ActionIcon variant="subtle" color="red" onClick={() => confirmRevoke(token)} aria-label={t('common.revoke')}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <CreateTokenModal opened={createOpened} onClose={createModal.close} />
    </>
  );
}
