import { Button, Grid, Group, Kbd, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFileImport, IconPlus, IconSearch, IconServer } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Host, HostSortField, InventoryFormat } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { usePermission } from '@/lib/auth/use-auth';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { useExportHosts } from '../api/export-hosts';
import { useHosts } from '../api/get-hosts';
import { useHostEvents } from '../api/host-events';
import { loadColumns, saveColumns, type HostColumn } from '@/lib/hosts/columns';
import { hasHostFilters, parseHostFilters, toFilterQuery, toHostsQuery, toSearchParams, type HostFilters } from '@/lib/hosts/filters';
import { BulkActions } from './bulk-actions';
import { ColumnChooser } from '@/components/hosts/column-chooser';
import { ExportMenu } from './export-menu';
import { HostFiltersPanel } from '@/components/hosts/host-filters';
import { HostFormModal } from './host-form-modal';
import { HostsTable } from '@/components/hosts/hosts-table';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('[role="dialog"]') !== null;
}

type Props = {
  /** Extra bulk actions for the selected hosts (id → name), composed in by the app. */
  bulkActions?: (selected: ReadonlyMap<string, string>) => ReactNode;
};

export function HostsPage({ bulkActions }: Props = {}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canCreate = usePermission(PERMISSIONS.hostsCreate);
  const canUpdate = usePermission(PERMISSIONS.hostsUpdate);
  const canDelete = usePermission(PERMISSIONS.hostsDelete);
  const canCheck = usePermission(PERMISSIONS.hostsCheck);
  const canGroup = usePermission(PERMISSIONS.groupsManage);

  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parseHostFilters(params), [params]);
  const setFilters = (patch: Partial<HostFilters>, keepPage = false) =>
    setParams((prev) => toSearchParams({ ...parseHostFilters(prev), ...(keepPage ? {} : { offset: 0 }), ...patch }), { replace: true });
  const [search, setSearch] = useState(filters.q);
  const pushSearch = useDebouncedCallback((q: string) => setFilters({ q: q.trim() }), 300);
  const searchRef = useRef<HTMLInputElement>(null);

  const hosts = useHosts(toHostsQuery(filters));
  const items = useMemo(() => hosts.data?.items ?? [], [hosts.data]);
  useHostEvents();
  const exporter = useExportHosts();

  const [columns, setColumns] = useState<HostColumn[]>(() => loadColumns());
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [focused, setFocused] = useState(-1);
  const [creating, setCreating] = useState(false);

  const toggle = (host: Host) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(host.id)) next.delete(host.id);
      else next.set(host.id, host.name);
      return next;
    });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const last = items.length - 1;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if ((e.key === 'j' || e.key === 'ArrowDown') && last >= 0) {
        e.preventDefault();
        setFocused((f) => Math.min(last, f + 1));
      } else if ((e.key === 'k' || e.key === 'ArrowUp') && last >= 0) {
        e.preventDefault();
        setFocused((f) => Math.max(0, f - 1));
      } else if (e.key === 'Enter' && items[focused]) {
        e.preventDefault();
        void navigate(`/hosts/${items[focused].id}`);
      } else if (e.key === 'x' && items[focused]) {
        e.preventDefault();
        toggle(items[focused]);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [items, focused, navigate]);

  const exportWith = (format: InventoryFormat, ids?: string[]) =>
    exporter.mutate(ids ? { format, ids: ids.join(',') } : { format, ...toFilterQuery(filters) }, {
      onSuccess: () => notifySuccess(t('hosts.exported')),
      onError: (err) => notifyError(err),
    });

  const filtered = hasHostFilters(filters);
  const empty = hosts.data && hosts.data.total === 0 && !filtered;

  return (
    <>
      <PageHeader
        title={t('hosts.title')}
        actions={
          <>
            {canCreate ? (
              <Button component={Link} to="/hosts/import" variant="default" leftSection={<IconFileImport size={16} />} data-testid="hosts-import">
                {t('hosts.import.open')}
              </Button>
            ) : null}
            <ExportMenu label={t('hosts.exportAll')} onExport={(f) => exportWith(f)} loading={exporter.isPending} testId="hosts-export" />
            {canCreate ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="create-host">
                {t('hosts.create')}
              </Button>
            ) : null}
          </>
        }
      />
      {empty ? (
        <Paper withBorder p="md" radius="md">
          <EmptyState title={t('hosts.empty')} icon={<IconServer size={28} />}>
            <Text size="sm" c="dimmed">
              {t('hosts.emptyHint')}
            </Text>
            {canCreate ? (
              <Group>
                <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="empty-create-host">
                  {t('hosts.create')}
                </Button>
                <Button component={Link} to="/hosts/import" variant="default" leftSection={<IconFileImport size={16} />}>
                  {t('hosts.import.open')}
                </Button>
              </Group>
            ) : null}
          </EmptyState>
        </Paper>
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, md: 3, xl: 2 }}>
            <Paper withBorder p="md" radius="md">
              <HostFiltersPanel filters={filters} facets={hosts.data?.facets} onChange={(patch) => setFilters(patch)} />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9, xl: 10 }}>
            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                <Group gap="sm" wrap="nowrap">
                  <TextInput
                    ref={searchRef}
                    placeholder={t('hosts.searchPlaceholder')}
                    aria-label={t('common.search')}
                    leftSection={<IconSearch size={16} />}
                    rightSection={<Kbd size="xs">/</Kbd>}
                    value={search}
                    onChange={(e) => {
                      setSearch(e.currentTarget.value);
                      pushSearch(e.currentTarget.value);
                    }}
                    style={{ flex: 1 }}
                    data-testid="hosts-search"
                  />
                  {filtered ? (
                    <Button
                      variant="subtle"
                      onClick={() => {
                        setSearch('');
                        setParams(toSearchParams({ ...parseHostFilters(new URLSearchParams()), sort: filters.sort, order: filters.order, limit: filters.limit }), { replace: true });
                      }}
                    >
                      {t('common.clearFilters')}
                    </Button>
                  ) : null}
                  <ColumnChooser
                    columns={columns}
                    onChange={(c) => {
                      setColumns(c);
                      saveColumns(c);
                    }}
                  />
                </Group>
                {selected.size > 0 ? (
                  <BulkActions
                    selected={selected}
                    canCheck={canCheck}
                    canUpdate={canUpdate}
                    canDelete={canDelete}
                    canGroup={canGroup}
                    onClear={() => setSelected(new Map())}
                    onExport={(f) => exportWith(f, [...selected.keys()])}
                    extra={bulkActions?.(selected)}
                  />
                ) : null}
                {hosts.isError ? (
                  <QueryError error={hosts.error} onRetry={() => void hosts.refetch()} />
                ) : !hosts.data ? (
                  <TableSkeleton rows={8} />
                ) : items.length === 0 ? (
                  <EmptyState title={t('hosts.emptyFiltered')} />
                ) : (
                  <>
                    <HostsTable
                      hosts={items}
                      columns={columns}
                      sort={{ field: filters.sort, desc: filters.order === 'desc' }}
                      onSort={(field: HostSortField) =>
                        setFilters({ sort: field, order: field === filters.sort && filters.order === 'asc' ? 'desc' : 'asc' })
                      }
                      selected={new Set(selected.keys())}
                      onToggle={(id) => {
                        const host = items.find((h) => h.id === id);
                        if (host) toggle(host);
                      }}
                      onToggleAll={(select) =>
                        setSelected((prev) => {
                          const next = new Map(prev);
                          for (const h of items) {
                            if (select) next.set(h.id, h.name);
                            else next.delete(h.id);
                          }
                          return next;
                        })
                      }
                      focused={focused}
                      onFocusRow={setFocused}
                      selectable
                    />
                    <Text size="xs" c="dimmed">
                      {t('hosts.keyboardHint')}
                    </Text>
                  </>
                )}
                {hosts.data && hosts.data.total > 0 ? (
                  <PaginationBar total={hosts.data.total} limit={filters.limit} offset={filters.offset} onChange={(p) => setFilters(p, true)} />
                ) : null}
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
      )}
      {creating ? <HostFormModal onClose={() => setCreating(false)} /> : null}
    </>
  );
}
