import { ActionIcon, Button, Code, Collapse, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconDownload } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '@/api/types';
import { AuditAction, AuditActor, AuditTarget, OutcomeBadge } from '@/components/audit/audit-badges';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { useExportAudit } from '../api/export-audit';
import { useAuditEvents } from '../api/get-audit-events';
import { EMPTY_AUDIT_FILTERS, hasAuditFilters, toAuditQuery, type AuditFilterValues } from '../lib/filters';
import { AuditFilters } from './audit-filters';

function EventDetails({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const rows: [string, string | null | undefined][] = [
    [t('audit.ip'), event.ip],
    [t('audit.userAgent'), event.user_agent],
    [t('audit.requestId'), event.request_id],
  ];
  return (
    <Stack gap="xs" p="sm" data-testid={`audit-details-${event.id}`}>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {rows.map(([label, value]) => (
          <div key={label}>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              {value ?? t('common.none')}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('audit.diff')}
      </Text>
      {event.diff ? (
        <Code block>{JSON.stringify(event.diff, null, 2)}</Code>
      ) : (
        <Text size="sm" c="dimmed">
          {t('audit.noDiff')}
        </Text>
      )}
    </Stack>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const canExport = usePermission(PERMISSIONS.auditExport);
  const [filters, setFilters] = useState<AuditFilterValues>(EMPTY_AUDIT_FILTERS);
  const [debounced] = useDebouncedValue(filters, 300);
  const [paging, setPaging] = useState({ limit: 25, offset: 0 });
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const filterQuery = toAuditQuery(debounced);
  const events = useAuditEvents({ ...filterQuery, limit: paging.limit, offset: paging.offset });
  const exportCsv = useExportAudit();

  const toggle = (id: number) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        actions={
          canExport ? (
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              loading={exportCsv.isPending}
              onClick={() =>
                exportCsv.mutate(filterQuery, {
                  onSuccess: () => notifySuccess(t('audit.exported')),
                  onError: (err) => notifyError(err),
                })
              }
              data-testid="audit-export"
            >
              {t('audit.export')}
            </Button>
          ) : null
        }
      />
      <Paper withBorder p="md" radius="md">
        <AuditFilters
          value={filters}
          onChange={(next) => {
            setFilters(next);
            setPaging((p) => ({ ...p, offset: 0 }));
          }}
        />
        {events.isError ? (
          <QueryError error={events.error} onRetry={() => void events.refetch()} />
        ) : !events.data ? (
          <TableSkeleton />
        ) : events.data.items.length === 0 ? (
          <EmptyState title={hasAuditFilters(debounced) ? t('audit.emptyFiltered') : t('audit.empty')} />
        ) : (
          <>
            <Table.ScrollContainer minWidth={820}>
              <Table verticalSpacing="xs" highlightOnHover data-testid="audit-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40} aria-label={t('audit.expand')} />
                    <Table.Th>{t('audit.time')}</Table.Th>
                    <Table.Th>{t('audit.actor')}</Table.Th>
                    <Table.Th>{t('audit.action')}</Table.Th>
                    <Table.Th>{t('audit.target')}</Table.Th>
                    <Table.Th>{t('audit.outcome')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {events.data.items.map((e) => {
                    const open = expanded.has(e.id);
                    return (
                      <Fragment key={e.id}>
                        <Table.Tr data-testid="audit-row" data-action={e.action} style={{ cursor: 'pointer' }} onClick={() => toggle(e.id)}>
                          <Table.Td>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              size="sm"
                              aria-label={t('audit.expand')}
                              aria-expanded={open}
                              onClick={(ev) => {
                                ev.stopPropagation();
                                toggle(e.id);
                              }}
                            >
                              {open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                            </ActionIcon>
                          </Table.Td>
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
                            <AuditTarget event={e} />
                          </Table.Td>
                          <Table.Td>
                            <OutcomeBadge outcome={e.outcome} />
                          </Table.Td>
                        </Table.Tr>
                        {open ? (
                          <Table.Tr>
                            <Table.Td colSpan={6} p={0}>
                              <Collapse in={open}>
                                <EventDetails event={e} />
                              </Collapse>
                            </Table.Td>
                          </Table.Tr>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <PaginationBar total={events.data.total} limit={paging.limit} offset={paging.offset} onChange={setPaging} />
          </>
        )}
      </Paper>
    </>
  );
}
