import { Anchor, Pagination, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { formatDateTime } from '@/lib/format';
import { GROUP_EVENTS_PAGE, useGroupEvents } from '../api/get-group-events';
import { MembershipChangeBadge } from './membership-change-badge';

export function GroupHistoryTab({ groupId }: { groupId: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const events = useGroupEvents(groupId, (page - 1) * GROUP_EVENTS_PAGE);
  if (events.isError) return <QueryError error={events.error} onRetry={() => void events.refetch()} />;
  if (!events.data) return <TableSkeleton rows={5} />;
  if (events.data.total === 0) return <EmptyState title={t('groups.history.empty')} />;
  return (
    <Stack data-testid="group-history">
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('groups.history.at')}</Table.Th>
            <Table.Th>{t('groups.history.change')}</Table.Th>
            <Table.Th>{t('groups.history.host')}</Table.Th>
            <Table.Th>{t('groups.history.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.data.items.map((e, i) => (
            <Table.Tr key={`${e.at}-${e.host_id}-${i}`} data-testid="membership-event">
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{formatDateTime(e.at, undefined, true)}</Text>
              </Table.Td>
              <Table.Td>
                <MembershipChangeBadge change={e.change} />
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/hosts/${e.host_id}`} size="sm" ff="monospace">
                  {e.host_name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{e.reason}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {events.data.total > GROUP_EVENTS_PAGE ? <Pagination size="sm" total={Math.ceil(events.data.total / GROUP_EVENTS_PAGE)} value={page} onChange={setPage} /> : null}
    </Stack>
  );
}
