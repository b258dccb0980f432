import { Anchor, Button, Group, MultiSelect, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedCallback, useDebouncedValue } from '@mantine/hooks';
import { IconCalendar, IconFilterOff, IconPlayerPlay, IconPlus, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { RUN_KINDS, RUN_STATUSES, RUN_TRIGGERS, type Host } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { SortableTh } from '@/components/layout/sortable-th';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime } from '@/lib/format';
import { PERMISSIONS } from '@/lib/permissions';
import { nextSort } from '@/lib/sort';
import { usePlaybookOptions } from '../api/get-playbook-options';
import { useRuns } from '../api/get-runs';
import { useUserOptions } from '../api/get-user-options';
import { useHostOptions } from '../api/search-hosts';
import { EMPTY_RUN_FILTERS, FILTER_KEYS, hasRunFilters, parseRunFilters, toRunSearchParams, toRunsQuery, type RunFilterValues } from '../lib/filters';
import { formatDuration } from '../lib/status';
import { EMPTY_DRAFT } from '../lib/targets';
import { RunCommandModal } from './run-command-modal';
import { RunStatusBadge, SummaryBadges } from './run-status-badge';

const CLEARED: Partial<RunFilterValues> = Object.fromEntries(FILTER_KEYS.map((k) => [k, EMPTY_RUN_FILTERS[k]]));

/**
 * `/runs`: the history of commands, scripts, key deployments and playbook runs. Filters, sort and
 * page live in the URL, so a reload or a shared link shows the same view.
 */
export function RunsPage() {
  const { t } = useTranslation();
  const canRun = usePermission(PERMISSIONS.runsExecute);
  const canReadUsers = usePermission(PERMISSIONS.usersRead);
  const canReadPlaybooks = usePermission(PERMISSIONS.playbooksRead);
  const canReadHosts = usePermission(PERMISSIONS.hostsRead);
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseRunFilters(params), [params]);
  const setFilters = (patch: Partial<RunFilterValues>, keepPage = false) =>
    setParams((prev) => toRunSearchParams({ ...parseRunFilters(prev), ...(keepPage ? {} : { offset: 0 }), ...patch }), { replace: true });
  const [search, setSearch] = useState(filters.q);
  const pushSearch = useDebouncedCallback((q: string) => setFilters({ q: q.trim() }), 300);
  // The URL changed from outside the box (the nav link, back): show its text.
  const [seenQ, setSeenQ] = useState(filters.q);
  if (filters.q !== seenQ) {
    setSeenQ(filters.q);
    if (search.trim() !== filters.q) setSearch(filters.q);
  }
  const [launching, setLaunching] = useState(false);

  const runs = useRuns(toRunsQuery(filters));
  const playbooks = usePlaybookOptions(canReadPlaybooks);
  const users = useUserOptions(canReadUsers);
  const filtered = hasRunFilters(filters);
  const clear = () => {
    pushSearch.cancel();
    setSearch('');
    setFilters(CLEARED);
  };
  const sortBy = (field: string) => setFilters({ sort: nextSort(filters.sort, field) });
  const th = (field: string, label: string) => (
    <SortableTh field={field} sort={filters.sort} onSort={sortBy}>
      {label}
    </SortableTh>
  );

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
        <Group gap="sm" mb="md" align="flex-end" wrap="wrap" data-testid="runs-filters">
          <TextInput
            label={t('common.search')}
            placeholder={t('runs.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            style={{ flex: 1, minWidth: 220 }}
            data-testid="runs-search"
          />
          <MultiSelect
            label={t('runs.filters.status')}
            data={RUN_STATUSES.map((s) => ({ value: s, label: t(`runs.status.${s}`) }))}
            value={filters.status}
            onChange={(status) => setFilters({ status })}
            clearable
            w={220}
            data-testid="runs-filter-status"
          />
          <MultiSelect
            label={t('runs.filters.kind')}
            data={RUN_KINDS.map((k) => ({ value: k, label: t(`runs.kinds.${k}`) }))}
            value={filters.kind}
            onChange={(kind) => setFilters({ kind })}
            clearable
            w={220}
            data-testid="runs-filter-kind"
          />
          <MultiSelect
            label={t('runs.filters.trigger')}
            data={RUN_TRIGGERS.map((k) => ({ value: k, label: t(`runs.triggers.${k}`) }))}
            value={filters.trigger}
            onChange={(trigger) => setFilters({ trigger })}
            clearable
            w={200}
            data-testid="runs-filter-trigger"
          />
          {canReadPlaybooks ? (
            <Select
              label={t('runs.filters.playbook')}
              placeholder={t('common.all')}
              data={(playbooks.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
              value={filters.playbook || null}
              onChange={(v) => setFilters({ playbook: v ?? '' })}
              searchable
              clearable
              nothingFoundMessage={t('runs.filters.nothingFound')}
              error={playbooks.isError ? t('common.loadFailed') : undefined}
              w={200}
              data-testid="runs-filter-playbook"
            />
          ) : null}
          {canReadUsers ? (
            <Select
              label={t('runs.filters.user')}
              placeholder={t('common.all')}
              data={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.display_name && u.display_name !== u.username ? `${u.username} (${u.display_name})` : u.username }))}
              value={filters.user || null}
              onChange={(v) => setFilters({ user: v ?? '' })}
              searchable
              clearable
              nothingFoundMessage={t('runs.filters.nothingFound')}
              error={users.isError ? t('common.loadFailed') : undefined}
              w={200}
              data-testid="runs-filter-user"
            />
          ) : null}
          {canReadHosts ? <HostFilter value={filters.host} onChange={(host) => setFilters({ host })} /> : null}
          <DatePickerInput
            type="range"
            label={t('runs.filters.dates')}
            placeholder={t('runs.filters.datesPlaceholder')}
            value={[filters.from || null, filters.to || null]}
            onChange={([from, to]) => setFilters({ from: from ?? '', to: to ?? '' })}
            clearable
            allowSingleDateInRange
            leftSection={<IconCalendar size={16} />}
            miw={230}
            data-testid="runs-filter-dates"
          />
          {filtered ? (
            <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={clear} data-testid="runs-clear-filters">
              {t('common.clearFilters')}
            </Button>
          ) : null}
        </Group>
        {runs.isError ? (
          <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
        ) : !runs.data ? (
          <TableSkeleton />
        ) : runs.data.items.length === 0 ? (
          filtered || filters.offset > 0 ? (
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
          <Table.ScrollContainer minWidth={1150}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="runs-table">
              <Table.Thead>
                <Table.Tr>
                  {th('kind', t('runs.columns.kind'))}
                  {th('title', t('runs.columns.title'))}
                  {th('status', t('runs.columns.status'))}
                  <Table.Th>{t('runs.columns.who')}</Table.Th>
                  {th('queued_at', t('runs.columns.queued'))}
                  {th('started_at', t('runs.columns.started'))}
                  {th('finished_at', t('runs.columns.finished'))}
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
                    <Table.Td maw={380}>
                      <Anchor component={Link} to={`/runs/${r.id}`} ff="monospace" size="sm" lineClamp={2} style={{ wordBreak: 'break-word' }} data-testid={`run-link-${r.id}`}>
                        {r.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <RunStatusBadge status={r.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{r.created_by_name}</Text>
                      {r.trigger !== 'user' ? (
                        <Text size="xs" c="dimmed" data-testid="run-trigger">
                          {t(`runs.triggers.${r.trigger}` as 'runs.triggers.user', { defaultValue: r.trigger })}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.queued_at)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.started_at)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.finished_at)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="run-duration">
                      {formatDuration(r.duration_ms)}
                    </Table.Td>
                    <Table.Td>
                      <SummaryBadges summary={r.summary} size="xs" />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {runs.data && runs.data.total > 0 ? (
          <PaginationBar total={runs.data.total} limit={filters.limit} offset={filters.offset} onChange={(paging) => setFilters(paging, true)} />
        ) : null}
      </Paper>
      {launching ? <RunCommandModal initial={EMPTY_DRAFT} onClose={() => setLaunching(false)} /> : null}
    </>
  );
}

const hostLabel = (h: Host) => (h.address && h.address !== h.name ? `${h.name} (${h.address})` : h.name);

/** Picks one host by name or address (searched on the server); the chosen one is looked up by id, so a shared link shows its name. */
function HostFilter({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [opened, setOpened] = useState(false);
  const [debounced] = useDebouncedValue(search, 250);
  const selected = useHostOptions({ ids: value, limit: 1 }, Boolean(value));
  const current = value ? selected.data?.items.find((h) => h.id === value) : undefined;
  // Once a host is chosen the input shows its label: that is not a search.
  const q = current && debounced === hostLabel(current) ? '' : debounced.trim();
  // Searched only once the list is opened.
  const found = useHostOptions({ q: q || undefined, sort: 'name', limit: 20 }, opened);
  const hosts = new Map<string, Host>();
  if (current) hosts.set(current.id, current);
  for (const h of found.data?.items ?? []) hosts.set(h.id, h);
  return (
    <Select
      label={t('runs.filters.host')}
      placeholder={t('runs.filters.hostPlaceholder')}
      data={[...hosts.values()].map((h) => ({ value: h.id, label: hostLabel(h) }))}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      onDropdownOpen={() => setOpened(true)}
      filter={({ options }) => options}
      clearable
      nothingFoundMessage={t('runs.filters.nothingFound')}
      error={found.isError ? t('common.loadFailed') : undefined}
      w={220}
      data-testid="runs-filter-host"
    />
  );
}
