import { ActionIcon, Anchor, Badge, Button, Checkbox, Code, Group, Menu, Paper, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDots, IconFolders, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Group as HostGroup } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { usePermission } from '@/lib/auth/use-auth';
import { PERMISSIONS } from '@/lib/permissions';
import { useGroups } from '../api/get-groups';
import { CreateGroupModal } from './create-group-modal';
import { DeleteGroupModal } from './delete-group-modal';
import { InventoryExportMenu } from './inventory-export-menu';
import { KindBadge } from './kind-badge';

function Chips({ names, color }: { names: string[]; color: string }) {
  if (names.length === 0) return null;
  return (
    <Group gap={4}>
      {names.slice(0, 4).map((n) => (
        <Badge key={n} size="sm" variant="outline" color={color} tt="none">
          {n}
        </Badge>
      ))}
      {names.length > 4 ? (
        <Text size="xs" c="dimmed">
          +{names.length - 4}
        </Text>
      ) : null}
    </Group>
  );
}

export function GroupsPage() {
  const { t } = useTranslation();
  const canManage = usePermission(PERMISSIONS.groupsManage);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const groups = useGroups(q ? { q } : {});
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<HostGroup | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const items = groups.data?.items ?? [];
  const empty = groups.data && groups.data.total === 0 && !q;

  const toggle = (name: string) => setSelected((s) => (s.includes(name) ? s.filter((x) => x !== name) : [...s, name]));

  return (
    <>
      <PageHeader
        title={t('groups.title')}
        actions={
          <>
            <InventoryExportMenu groups={selected} label={selected.length ? t('groups.exportSelected', { count: selected.length }) : undefined} />
            {canManage ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="create-group">
                {t('groups.create')}
              </Button>
            ) : null}
          </>
        }
      />
      {empty ? (
        <Paper withBorder p="md" radius="md">
          <EmptyState title={t('groups.empty')} icon={<IconFolders size={28} />}>
            <Text size="sm" c="dimmed">
              {t('groups.emptyHint')}
            </Text>
            {canManage ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="empty-create-group">
                {t('groups.create')}
              </Button>
            ) : null}
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <TextInput
              placeholder={t('groups.searchPlaceholder')}
              aria-label={t('common.search')}
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              data-testid="groups-search"
            />
            {groups.isError ? (
              <QueryError error={groups.error} onRetry={() => void groups.refetch()} />
            ) : !groups.data ? (
              <TableSkeleton rows={5} />
            ) : items.length === 0 ? (
              <EmptyState title={t('groups.emptyFiltered')} />
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table verticalSpacing="xs" highlightOnHover data-testid="groups-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={40} />
                      <Table.Th>{t('groups.fields.name')}</Table.Th>
                      <Table.Th>{t('groups.fields.kind')}</Table.Th>
                      <Table.Th>{t('groups.fields.members')}</Table.Th>
                      <Table.Th>{t('groups.fields.parents')}</Table.Th>
                      <Table.Th>{t('groups.fields.children')}</Table.Th>
                      <Table.Th>{t('groups.fields.rule')}</Table.Th>
                      {canManage ? <Table.Th w={40} /> : null}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((g) => (
                      <Table.Tr key={g.id} data-testid={`group-row-${g.name}`}>
                        <Table.Td>
                          <Checkbox aria-label={t('groups.select', { name: g.name })} checked={selected.includes(g.name)} onChange={() => toggle(g.name)} />
                        </Table.Td>
                        <Table.Td>
                          <Anchor component={Link} to={`/groups/${g.id}`} size="sm" fw={500} ff="monospace" data-testid={`group-link-${g.name}`}>
                            {g.name}
                          </Anchor>
                          {g.description ? (
                            <Text size="xs" c="dimmed" lineClamp={1}>
                              {g.description}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          <KindBadge kind={g.kind} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" data-testid={`group-count-${g.name}`}>
                            {g.member_count}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Chips names={g.parents} color="gray" />
                        </Table.Td>
                        <Table.Td>
                          <Chips names={g.children} color="indigo" />
                        </Table.Td>
                        <Table.Td maw={320}>
                          {g.rule ? (
                            <Tooltip label={g.rule} multiline maw={480}>
                              <Code style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: 320 }}>{g.rule}</Code>
                            </Tooltip>
                          ) : null}
                        </Table.Td>
                        {canManage ? (
                          <Table.Td>
                            <Menu position="bottom-end" withinPortal>
                              <Menu.Target>
                                <ActionIcon variant="subtle" color="gray" aria-label={t('common.actions')} data-testid={`group-actions-${g.name}`}>
                                  <IconDots size={16} />
                                </ActionIcon>
                              </Menu.Target>
                              <Menu.Dropdown>
                                <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(g)} data-testid="group-action-delete">
                                  {t('common.delete')}
                                </Menu.Item>
                              </Menu.Dropdown>
                            </Menu>
                          </Table.Td>
                        ) : null}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
        </Paper>
      )}
      {creating ? <CreateGroupModal onClose={() => setCreating(false)} /> : null}
      {deleting ? <DeleteGroupModal group={deleting} onClose={() => setDeleting(null)} onDeleted={() => setSelected((s) => s.filter((n) => n !== deleting.name))} /> : null}
    </>
  );
}
