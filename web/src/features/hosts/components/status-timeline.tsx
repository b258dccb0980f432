import { Group, Pagination, Stack, Text, Timeline, Tooltip } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconHelpCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostStatus } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { formatDateTime, formatRelative } from '@/lib/format';
import { useStatusHistory } from '../api/get-status-history';
import { formatLatency, STATUS_COLORS } from '@/lib/hosts/status';

const PAGE = 10;
const ICONS = { online: IconCircleCheck, offline: IconCircleX, unknown: IconHelpCircle } satisfies Record<HostStatus, unknown>;

/** Status transitions, newest first, with relative and absolute times. */
export function StatusTimeline({ hostId }: { hostId: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const history = useStatusHistory(hostId, { limit: PAGE, offset: (page - 1) * PAGE });
  if (history.isError) return <QueryError error={history.error} onRetry={() => void history.refetch()} />;
  if (!history.data) return <TableSkeleton rows={3} />;
  if (history.data.items.length === 0) return <EmptyState title={t('hosts.detail.noHistory')} />;
  const pages = Math.max(1, Math.ceil(history.data.total / PAGE));
  return (
    <Stack data-testid="status-timeline">
      <Timeline bulletSize={22} lineWidth={2}>
        {history.data.items.map((c) => {
          const Icon = ICONS[c.status];
          const latency = formatLatency(c.latency_ms);
          return (
            <Timeline.Item
              key={`${c.at}-${c.status}`}
              color={STATUS_COLORS[c.status]}
              bullet={<Icon size={14} />}
              title={t('hosts.detail.transition', { from: t(`hosts.statuses.${c.previous}`), to: t(`hosts.statuses.${c.status}`) })}
            >
              <Group gap="xs">
                <Tooltip label={formatDateTime(c.at, undefined, true)}>
                  <Text size="xs" c="dimmed">
                    {formatRelative(c.at)} · {formatDateTime(c.at, undefined, true)}
                  </Text>
                </Tooltip>
                <Text size="xs" c="dimmed">
                  {t(`hosts.methods.${c.method}`)}
                  {latency ? ` · ${latency}` : ''}
                </Text>
              </Group>
              {c.error ? (
                <Text size="sm" c="red">
                  {c.error}
                </Text>
              ) : null}
            </Timeline.Item>
          );
        })}
      </Timeline>
      {pages > 1 ? <Pagination size="sm" total={pages} value={page} onChange={setPage} /> : null}
    </Stack>
  );
}
