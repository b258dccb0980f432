import { ActionIcon, Badge, Group, Paper, Switch, Table, Text, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconLogout } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { clearSession } from '@/lib/auth/session-store';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { useSessions } from '../api/get-sessions';
import { useRevokeSession } from '../api/revoke-session';
import { describeUserAgent } from '../lib/user-agent';

export function SessionsPage() {
  const { t } = useTranslation();
  const canReadAll = usePermission(PERMISSIONS.sessionsReadAll);
  const [showAll, setShowAll] = useState(false);
  const [paging, setPaging] = useState({ limit: 25, offset: 0 });
  const sessions = useSessions({ limit: paging.limit, offset: paging.offset, ...(showAll && canReadAll ? { scope: 'all' } : {}) });
  const revoke = useRevokeSession();

  const confirmRevoke = (s: Session) =>
    modals.openConfirmModal({
      title: t('sessions.revokeTitle'),
      children: (
        <>
          <Text size="sm">{t('sessions.revokeConfirm', { name: s.username })}</Text>
          {s.current ? (
            <Text size="sm" c="red" mt="xs">
              {t('sessions.revokeCurrentConfirm')}
            </Text>
          ) : null}
        </>
      ),
      labels: { confirm: t('common.revoke'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        revoke.mutate(s.id, {
          onSuccess: () => {
            notifySuccess(t('sessions.revoked'));
            if (s.current) clearSession('logged_out');
          },
          onError: (err) => notifyError(err),
        }),
    });

  const showUser = showAll && canReadAll;

  return (
    <>
      <PageHeader
        title={showUser ? t('sessions.title') : t('sessions.mine')}
        actions={
          canReadAll ? (
            <Switch
              label={t('sessions.showAll')}
              checked={showAll}
              onChange={(e) => {
                setShowAll(e.currentTarget.checked);
                setPaging((p) => ({ ...p, offset: 0 }));
              }}
              data-testid="sessions-show-all"
            />
          ) : null
        }
      />
      <Paper withBorder p="md" radius="md">
        {sessions.isError ? (
          <QueryError error={sessions.error} onRetry={() => void sessions.refetch()} />
        ) : !sessions.data ? (
          <TableSkeleton />
        ) : sessions.data.items.length === 0 ? (
          <EmptyState title={t('sessions.empty')} />
        ) : (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="sm" highlightOnHover data-testid="sessions-table">
                <Table.Thead>
                  <Table.Tr>
                    {showUser ? <Table.Th>{t('sessions.user')}</Table.Th> : null}
                    <Table.Th>{t('sessions.device')}</Table.Th>
                    <Table.Th>{t('sessions.ip')}</Table.Th>
                    <Table.Th>{t('sessions.createdAt')}</Table.Th>
                    <Table.Th>{t('sessions.lastSeen')}</Table.Th>
                    <Table.Th>{t('sessions.expiresAt')}</Table.Th>
                    <Table.Th w={60} aria-label={t('common.actions')} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sessions.data.items.map((s) => (
                    <Table.Tr key={s.id}>
                      {showUser ? <Table.Td>{s.username}</Table.Td> : null}
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Tooltip label={s.user_agent ?? t('sessions.unknownDevice')} multiline maw={400}>
                            <Text size="sm">{describeUserAgent(s.user_agent) ?? t('sessions.unknownDevice')}</Text>
                          </Tooltip>
                          {s.current ? (
                            <Badge color="green" variant="light" data-testid="this-device">
                              {t('sessions.thisDevice')}
                            </Badge>
                          ) : null}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {s.ip ?? t('common.none')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.created_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.last_seen_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.expires_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={t('common.revoke')}>
                          <ActionIcon variant="subtle" color="red" onClick={() => confirmRevoke(s)} aria-label={t('common.revoke')}>
                            <IconLogout size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <PaginationBar total={sessions.data.total} limit={paging.limit} offset={paging.offset} onChange={setPaging} />
          </>
        )}
      </Paper>
    </>
  );
}
