import { Anchor, Button, Paper, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { RunStatusBadge } from '@/components/runs/run-status-badge';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime, formatRelative } from '@/lib/format';
import { PERMISSIONS } from '@/lib/permissions';
import { usePlaybooks } from '../api/get-playbooks';

/** `/playbooks`: the stored Ansible playbooks, searchable, with each one's latest run. */
export function PlaybooksPage() {
  const { t } = useTranslation();
  const canManage = usePermission(PERMISSIONS.playbooksManage);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const [paging, setPaging] = useState({ limit: 25, offset: 0 });
  const playbooks = usePlaybooks({ ...(debounced ? { q: debounced } : {}), ...paging });
  const create = canManage ? (
    <Button component={Link} to="/playbooks/new" leftSection={<IconPlus size={16} />} data-testid="playbooks-new">
      {t('playbooks.create')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title={t('playbooks.title')} actions={create} />
      <Paper withBorder p="md" radius="md">
        <TextInput
          mb="md"
          placeholder={t('playbooks.searchPlaceholder')}
          aria-label={t('common.search')}
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPaging((p) => ({ ...p, offset: 0 }));
          }}
          data-testid="playbooks-search"
        />
        {playbooks.isError ? (
          <QueryError error={playbooks.error} onRetry={() => void playbooks.refetch()} />
        ) : !playbooks.data ? (
          <TableSkeleton />
        ) : playbooks.data.items.length === 0 ? (
          debounced ? (
            <EmptyState title={t('playbooks.emptyFiltered')} />
          ) : (
            <EmptyState title={t('playbooks.empty')} icon={<IconBook size={28} />}>
              <Text size="sm" c="dimmed" ta="center" maw={520}>
                {t('playbooks.emptyHint')}
              </Text>
              {create}
            </EmptyState>
          )
        ) : (
          <Table.ScrollContainer minWidth={800}>
            <Table verticalSpacing="xs" highlightOnHover data-testid="playbooks-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('playbooks.columns.name')}</Table.Th>
                  <Table.Th>{t('playbooks.columns.description')}</Table.Th>
                  <Table.Th>{t('playbooks.columns.version')}</Table.Th>
                  <Table.Th>{t('playbooks.columns.lastRun')}</Table.Th>
                  <Table.Th>{t('playbooks.columns.updated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {playbooks.data.items.map((p) => (
                  <Table.Tr key={p.id} data-testid="playbook-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/playbooks/${p.id}`} fw={500} size="sm" data-testid={`playbook-link-${p.id}`}>
                        {p.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td maw={420}>
                      <Text size="sm" c="dimmed" lineClamp={2}>
                        {p.description}
                      </Text>
                    </Table.Td>
                    <Table.Td>v{p.current_version}</Table.Td>
                    <Table.Td>
                      {p.last_run ? (
                        <Anchor component={Link} to={`/runs/${p.last_run.id}`} title={formatDateTime(p.last_run.queued_at)} data-testid="playbook-last-run">
                          <RunStatusBadge status={p.last_run.status} size="sm" />
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('playbooks.neverRun')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }} title={formatDateTime(p.updated_at)}>
                      {formatRelative(p.updated_at)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {playbooks.data && playbooks.data.total > 0 ? <PaginationBar total={playbooks.data.total} limit={paging.limit} offset={paging.offset} onChange={setPaging} /> : null}
      </Paper>
    </>
  );
}
