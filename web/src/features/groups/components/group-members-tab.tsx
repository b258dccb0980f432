import { Button, Grid, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconPlus, IconSearch, IconUserMinus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Group as HostGroup, HostSortField } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { HostFiltersPanel } from '@/components/hosts/host-filters';
import { HostsTable } from '@/components/hosts/hosts-table';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { DEFAULT_COLUMNS } from '@/lib/hosts/columns';
import { DEFAULT_FILTERS, toHostsQuery, type HostFilters } from '@/lib/hosts/filters';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useGroupMembers } from '../api/get-group-members';
import { useRemoveGroupMembers } from '../api/remove-group-members';
import { HostPickerModal } from './host-picker-modal';

/** Members with the hosts list's filters, sort and paging; static groups can add and remove hosts. */
export function GroupMembersTab({ group, canManage }: { group: HostGroup; canManage: boolean }) {
  const { t } = useTranslation();
  const [filters, setFiltersState] = useState<HostFilters>(DEFAULT_FILTERS);
  const setFilters = (patch: Partial<HostFilters>, keepPage = false) => setFiltersState((f) => ({ ...f, ...(keepPage ? {} : { offset: 0 }), ...patch }));
  const [search, setSearch] = useState('');
  const pushSearch = useDebouncedCallback((q: string) => setFilters({ q: q.trim() }), 300);
  const members = useGroupMembers(group.id, toHostsQuery(filters));
  const items = useMemo(() => members.data?.items ?? [], [members.data]);
  const remove = useRemoveGroupMembers();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [picking, setPicking] = useState(false);
  const editable = canManage && group.kind === 'static';

  const removeSelected = () =>
    remove.mutate(
      { id: group.id, ids: [...selected] },
      {
        onSuccess: (r) => {
          notifySuccess(t('groups.members.removed', { count: r.changed, name: group.name }));
          setSelected(new Set());
        },
        onError: (err) => notifyError(err),
      },
    );

  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 3 }}>
        <Paper withBorder p="md" radius="md">
          <HostFiltersPanel filters={filters} facets={members.data?.facets} onChange={(patch) => setFilters(patch)} />
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>
        <Stack gap="sm">
          <Group gap="sm" wrap="nowrap">
            <TextInput
              placeholder={t('hosts.searchPlaceholder')}
              aria-label={t('common.search')}
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                pushSearch(e.currentTarget.value);
              }}
              style={{ flex: 1 }}
              data-testid="members-search"
            />
            {editable ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setPicking(true)} data-testid="members-add">
                {t('groups.members.addHosts')}
              </Button>
            ) : null}
          </Group>
          {group.kind === 'dynamic' ? (
            <Text size="xs" c="dimmed">
              {t('groups.members.dynamicHint')}
            </Text>
          ) : null}
          {editable && selected.size > 0 ? (
            <Paper withBorder p="xs" radius="md" bg="var(--mantine-color-default-hover)">
              <Group justify="space-between">
                <Text size="sm" fw={500} data-testid="members-selected">
                  {t('hosts.bulk.selected', { count: selected.size })}
                </Text>
                <Button color="red" variant="light" size="sm" leftSection={<IconUserMinus size={16} />} loading={remove.isPending} onClick={removeSelected} data-testid="members-remove">
                  {t('groups.members.remove')}
                </Button>
              </Group>
            </Paper>
          ) : null}
          {members.isError ? (
            <QueryError error={members.error} onRetry={() => void members.refetch()} />
          ) : !members.data ? (
            <TableSkeleton rows={5} />
          ) : items.length === 0 ? (
            <EmptyState title={filters.q || filters.status.length || filters.environment.length || filters.os.length || filters.tag.length ? t('hosts.emptyFiltered') : t('groups.members.empty')} />
          ) : (
            <HostsTable
              hosts={items}
              columns={DEFAULT_COLUMNS}
              sort={{ field: filters.sort, desc: filters.order === 'desc' }}
              onSort={(field: HostSortField) => setFilters({ sort: field, order: field === filters.sort && filters.order === 'asc' ? 'desc' : 'asc' })}
              selected={selected}
              onToggle={(id) =>
                setSelected((prev) => {
                  const next = new Set(prev);
                  if (next.has(id)) next.delete(id);
                  else next.add(id);
                  return next;
                })
              }
              onToggleAll={(on) =>
                setSelected((prev) => {
                  const next = new Set(prev);
                  for (const h of items) {
                    if (on) next.add(h.id);
                    else next.delete(h.id);
                  }
                  return next;
                })
              }
              focused={-1}
              onFocusRow={() => undefined}
              selectable={editable}
            />
          )}
          {members.data && members.data.total > 0 ? (
            <PaginationBar total={members.data.total} limit={filters.limit} offset={filters.offset} onChange={(p) => setFilters(p, true)} />
          ) : null}
        </Stack>
      </Grid.Col>
      {picking ? <HostPickerModal groupId={group.id} groupName={group.name} onClose={() => setPicking(false)} /> : null}
    </Grid>
  );
}
