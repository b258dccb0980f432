import { Pagination, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuditAction, AuditActor, OutcomeBadge } from '@/components/audit/audit-badges';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { formatDateTime } from '@/lib/format';
import { HOST_AUDIT_PAGE, useHostAudit } from '../api/get-host-audit';

/** Audit events whose target is this host. */
export function HostAudit({ hostId }: { hostId: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const audit = useHostAudit(hostId, (page - 1) * HOST_AUDIT_PAGE, true);
  if (audit.isError) return <QueryError error={audit.error} onRetry={() => void audit.refetch()} />;
  if (!audit.data) return <TableSkeleton rows={3} />;
  if (audit.data.items.length === 0) return <EmptyState title={t('hosts.detail.noAudit')} />;
  const pages = Math.max(1, Math.ceil(audit.data.total / HOST_AUDIT_PAGE));
  return (
    <Stack>
      <Table verticalSpacing="xs" data-testid="host-audit">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.time')}</Table.Th>
            <Table.Th>{t('audit.actor')}</Table.Th>
            <Table.Th>{t('audit.action')}</Table.Th>
            <Table.Th>{t('audit.outcome')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {audit.data.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(e.occurred_at, undefined, true)}
                </Text>
              </Table.Td>
              <Table.Td>
                <AuditActor event={e} />
              </Table.Td>
              <Table.Td>
                <AuditAction action={e.action} />
              </Table.Td>
              <Table.Td>
                <OutcomeBadge outcome={e.outcome} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {pages > 1 ? <Pagination size="sm" total={pages} value={page} onChange={setPage} /> : null}
    </Stack>
  );
}
