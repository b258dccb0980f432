import { ActionIcon, Badge, Group, Menu, Table, Text } from '@mantine/core';
import { IconDots, IconKey, IconPencil, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { SortableTh } from '@/components/layout/sortable-th';
import type { SortState } from '@/lib/sort';
import { formatDateTime } from '@/lib/format';

const ROLE_COLORS: Record<Role, string> = { admin: 'red', operator: 'blue', viewer: 'gray' };

export type UsersTableProps = {
  users: User[];
  currentUserId: string;
  sort: SortState;
  onSort: (field: string) => void;
  filtered: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  onEdit: (u: User) => void;
  onResetPassword: (u: User) => void;
  onDelete: (u: User) => void;
};

export function UsersTable({ users, currentUserId, sort, onSort, filtered, canUpdate, canDelete, onEdit, onResetPassword, onDelete }: UsersTableProps) {
  const { t } = useTranslation();
  if (users.length === 0) return <EmptyState title={filtered ? t('users.emptyFiltered') : t('users.empty')} />;
  const hasActions = canUpdate || canDelete;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <SortableTh field="username" sort={sort} onSort={onSort}>
              {t('users.username')}
            </SortableTh>
            <SortableTh field="display_name" sort={sort} onSort={onSort}>
              {t('users.displayName')}
            </SortableTh>
            <SortableTh field="role" sort={sort} onSort={onSort}>
              {t('users.role')}
            </SortableTh>
            <Table.Th>{t('users.status')}</Table.Th>
            <SortableTh field="last_login_at" sort={sort} onSort={onSort}>
              {t('users.lastLogin')}
            </SortableTh>
            <SortableTh field="created_at" sort={sort} onSort={onSort}>
              {t('users.createdAt')}
            </SortableTh>
            {hasActions ? <Table.Th w={60} aria-label={t('common.actions')} /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id} data-testid={`user-row-${u.username}`}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {u.username}
                  {u.id === currentUserId ? (
                    <Text span c="dimmed" size="xs">
                      {' '}
                      ({t('users.you')})
                    </Text>
                  ) : null}
                </Text>
                {u.email ? (
                  <Text size="xs" c="dimmed">
                    {u.email}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{u.display_name}</Table.Td>
              <Table.Td>
                <Badge color={ROLE_COLORS[u.role]} variant="light">
                  {t(`roles.${u.role}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge color={u.disabled ? 'gray' : 'green'} variant="dot">
                    {u.disabled ? t('users.statusDisabled') : t('users.statusActive')}
                  </Badge>
                  {u.must_change_password ? (
                    <Badge color="yellow" variant="light" size="sm">
                      {t('users.mustChange')}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(u.last_login_at, t('common.never'))}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(u.created_at)}</Text>
              </Table.Td>
              {hasActions ? (
                <Table.Td>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon variant="subtle" color="gray" aria-label={t('common.actions')} data-testid={`user-actions-${u.username}`}>
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {canUpdate ? (
                        <>
                          <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => onEdit(u)}>
                            {t('common.edit')}
                          </Menu.Item>
                          <Menu.Item leftSection={<IconKey size={14} />} onClick={() => onResetPassword(u)}>
                            {t('users.resetPassword')}
                          </Menu.Item>
                        </>
                      ) : null}
                      {canDelete && u.id !== currentUserId ? (
                        <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => onDelete(u)}>
                          {t('common.delete')}
                        </Menu.Item>
                      ) : null}
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
