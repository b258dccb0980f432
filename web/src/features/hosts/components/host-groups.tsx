import { Anchor, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { formatDateTime } from '@/lib/format';
import { useHostMembershipEvents } from '../api/get-host-membership-events';
import { currentGroups } from '../lib/membership';

/** The host's groups now (derived from the membership history) and the history itself. */
export function HostGroups({ hostId }: { hostId: string }) {
  const { t } = useTranslation();
  const events = useHostMembershipEvents(hostId);
  if (events.isError) return <QueryError error={events.error} onRetry={() => void events.refetch()} />;
  if (!events.data) return <TableSkeleton rows={2} />;
  const current = currentGroups(events.data.items);
  return (
    <Stack gap="xs" data-testid="host-groups">
      <Title order={5}>{t('hosts.groups.title')}</Title>
      {current.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('hosts.groups.none')}
        </Text>
      ) : (
        <Group gap="xs">
          {current.map((g) => (
            <Anchor key={g.id} component={Link} to={`/groups/${g.id}`} size="sm" ff="monospace" data-testid={`host-group-${g.name}`}>
              {g.name}
            </Anchor>
          ))}
        </Group>
      )}
      {events.data.items.length ? (
        <Table verticalSpacing={4} fz="sm" data-testid="host-membership-history">
          <Table.Tbody>
            {events.data.items.slice(0, 10).map((e, i) => (
              <Table.Tr key={`${e.at}-${e.group_id}-${i}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={e.change === 'joined' ? 'green' : 'orange'}>
                    {e.change === 'joined' ? t('hosts.groups.joined') : e.change === 'left' ? t('hosts.groups.left') : e.change}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/groups/${e.group_id}`} size="sm" ff="monospace">
                    {e.group_name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {e.reason}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
