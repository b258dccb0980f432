import { Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type User, type UsersQuery } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';

import { usePermission, useSession } from '@/lib/auth/use-auth';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { nextSort, sortParam, type SortState } from '@/lib/sort';
import { useDeleteUser } from '../api/delete-user';
import { useUsers } from '../api/get-users';
import { CreateUserModal } from './create-user-modal';
import { EditUserModal } from './edit-user-modal';
import { ResetPasswordModal } from './reset-password-modal';
import { UsersTable } from './users-table';

export function UsersPage() {
  const { t } = useTranslation();
  const session = useSession();
  const canCreate = usePermission(PERMISSIONS.usersCreate);
  const canUpdate = usePermission(PERMISSIONS.usersUpdate);
  const canDelete = usePermission(PERMISSIONS.usersDelete);

  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [role, setRole] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState>({ field: 'username', desc: false });
  const [paging, setPaging] = useState({ limit: 25, offset: 0 });
  const [createOpened, createModal] = useDisclosure(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const deleteUser = useDeleteUser();

  const query: UsersQuery = {
    q: q || undefined,
    role: (role as UsersQuery['role']) ?? undefined,
    disabled: status === null ? undefined : status === 'disabled',
    sort: sortParam(sort),
    limit: paging.limit,
    offset: paging.offset,
  };
  const users = useUsers(query);
  const filtered = Boolean(q || role || status);

  const confirmDelete = (u: User) =>
    modals.openConfirmModal({
      title: t('users.deleteTitle'),
      children: t('users.deleteConfirm', { name: u.username }),
      labels: { confirm: t('common.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        deleteUser.mutate(u.id, {
          onSuccess: () => notifySuccess(t('users.deleted', { name: u.username })),
          onError: (err) => notifyError(err),
        }),
    });

  const resetPage = () => setPaging((p) => ({ ...p, offset: 0 }));

  return (
    <>
      <PageHeader
        title={t('users.title')}
        actions={
          canCreate ? (
            <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="create-user">
              {t('users.create')}
            </Button>
          ) : null
        }
      />
      <Paper withBorder p="md" radius="md">
        <Group mb="md" gap="sm" wrap="wrap">
          <TextInput
            placeholder={t('users.searchPlaceholder')}
            aria-label={t('common.search')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              resetPage();
            }}
            style={{ flex: '1 1 260px' }}
            data-testid="users-search"
          />
          <Select
            placeholder={t('users.roleFilter')}
            aria-label={t('users.roleFilter')}
            clearable
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={role}
            onChange={(v) => {
              setRole(v);
              resetPage();
            }}
            w={180}
          />
          <Select
            placeholder={t('users.statusFilter')}
            aria-label={t('users.statusFilter')}
            clearable
            data={[
              { value: 'active', label: t('users.statusActive') },
              { value: 'disabled', label: t('users.statusDisabled') },
            ]}
            value={status}
            onChange={(v) => {
              setStatus(v);
              resetPage();
            }}
            w={160}
          />
        </Group>
        {users.isError ? (
          <QueryError error={users.error} onRetry={() => void users.refetch()} />
        ) : !users.data ? (
          <TableSkeleton />
        ) : (
          <>
            <UsersTable
              users={users.data.items}
              currentUserId={session.user.id}
              sort={sort}
              onSort={(field) => setSort((s) => nextSort(s, field))}
              filtered={filtered}
              canUpdate={canUpdate}
              canDelete={canDelete}
              onEdit={setEditing}
              onResetPassword={setResetting}
              onDelete={confirmDelete}
            />
            {users.data.total > 0 ? (
              <PaginationBar total={users.data.total} limit={paging.limit} offset={paging.offset} onChange={setPaging} />
            ) : null}
          </>
        )}
      </Paper>
      <CreateUserModal opened={createOpened} onClose={createModal.close} />
      {editing ? <EditUserModal key={editing.id} user={editing} isSelf={editing.id === session.user.id} onClose={() => setEditing(null)} /> : null}
      {resetting ? <ResetPasswordModal key={resetting.id} user={resetting} onClose={() => setResetting(null)} /> : null}
    </>
  );
}
