import { Anchor, Button, Group, MultiSelect, Paper, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlayerPlay, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RUN_KINDS, RUN_STATUSES } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime } from '@/lib/format';
import { PERMISSIONS } from '@/lib/permissions';
import { useRuns } from '../api/get-runs';
import { EMPTY_RUN_FILTERS, hasRunFilters, toRunsQuery, type RunFilterValues } from '../lib/filters';
import { formatDuration } from '../lib/status';
import { EMPTY_DRAFT } from '../lib/targets';
import { RunCommandModal } from './run-command-modal';
import { RunStatusBadge, SummaryBadges } from './run-status-badge';

/** `/runs`: the history of commands, scripts and key deployments, newest first. */
export function RunsPage() {
  const { t } = useTranslation();
  const canRun = usePermission(PERMISSIONS.runsExecute);
  const [filters, setFilters] = useState<RunFilterValues>(EMPTY_RUN_FILTERS);
  const [debounced] = useDebouncedValue(filters, 300);
  const [paging, setPaging] = useState({ limit: 25, offset: 0 });
  const [launching, setLaunching] = useState(false);
  const runs = useRuns(toRunsQuery(debounced, paging));
  const set = (patch: Partial<RunFilterValues>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPaging((p) => ({ ...p, offset: 0 }));
  };
  const filtered = hasRunFilters(debounced);

  return (
    <>
      <PageHeader
        title={t('runs.title')}
        actions={
          canRun ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setLaunching(true)} data-testid="runs-new">
              {t('runs.newRun')}
            </Button>
          ) : null
        }
      />
      <Paper withBorder p="md" radius="md">
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
          <TextInput
            placeholder={t('runs.searchPlaceholder')}
            aria-label={t('common.search')}
            leftSection={<IconSearch size={16} />}
            value={filters.q}
            onChange={(e) => set({ q: e.currentTarget.value })}
            style={{ flex: 1, minWidth: 220 }}
            data-testid="runs-search"
          />
          <MultiSelect
            label={t('runs.filters.status')}
            data={RUN_STATUSES.map((s) => ({ value: s, label: t(`runs.status.${s}`) }))}
            value={filters.status}
            onChange={(status) => set({ status })}
            clearable
            w={240}
            data-testid="runs-filter-status"
          />
          <MultiSelect
            label={t('runs.filters.kind')}
            data={RUN_KINDS.map((k) => ({ value: k, label: t(`runs.kinds.${k}`) }))}
            value={filters.kind}
            onChange={(kind) => set({ kind })}
            clearable
            w={240}
            data-testid="runs-filter-kind"
          />
          {hasRunFilters(filters) ? (
            <Button variant="subtle" onClick={() => set(EMPTY_RUN_FILTERS)}>
              {t('common.clearFilters')}
            </Button>
          ) : null}
        </Group>
        {runs.isError ? (
          <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
        ) : !runs.data ? (
          <TableSkeleton />
        ) : runs.data.items.length === 0 ? (
          filtered ? (
            <EmptyState title={t('runs.emptyFiltered')} />
          ) : (
            <EmptyState title={t('runs.empty')} icon={<IconPlayerPlay size={28} />}>
              <Text size="sm" c="dimmed" ta="center" maw={520}>
                {t('runs.emptyHint')}
              </Text>
              {canRun ? (
                <Button leftSection={<IconPlus size={16} />} onClick={() => setLaunching(true)}>
                  {t('runs.newRun')}
                </Button>
              ) : null}
            </EmptyState>
          )
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="runs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('runs.columns.kind')}</Table.Th>
                  <Table.Th>{t('runs.columns.title')}</Table.Th>
                  <Table.Th>{t('runs.columns.status')}</Table.Th>
                  <Table.Th>{t('runs.columns.who')}</Table.Th>
                  <Table.Th>{t('runs.columns.started')}</Table.Th>
                  <Table.Th>{t('runs.columns.duration')}</Table.Th>
                  <Table.Th>{t('runs.columns.hosts')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.data.items.map((r) => (
                  <Table.Tr key={r.id} data-testid="run-row" data-run-id={r.id}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {t(`runs.kinds.${r.kind}` as 'runs.kinds.command', { defaultValue: r.kind })}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={420}>
                      <Anchor component={Link} to={`/runs/${r.id}`} ff="monospace" size="sm" lineClamp={2} style={{ wordBreak: 'break-word' }} data-testid={`run-link-${r.id}`}>
                        {r.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <RunStatusBadge status={r.status} />
                    </Table.Td>
                    <Table.Td>{r.created_by_name}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.started_at ?? r.queued_at)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDuration(r.duration_ms)}</Table.Td>
                    <Table.Td>
                      <SummaryBadges summary={r.summary} size="xs" />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {runs.data && runs.data.total > 0 ? <PaginationBar total={runs.data.total} limit={paging.limit} offset={paging.offset} onChange={setPaging} /> : null}
      </Paper>
      {launching ? <RunCommandModal initial={EMPTY_DRAFT} onClose={() => setLaunching(false)} /> : null}
    </>
  );
}
