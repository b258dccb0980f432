import { Button, Group, Paper, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SECRET_KINDS, type Secret, type SecretKind, type SecretsQuery } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PageHeader } from '@/components/layout/page-header';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { usePermission } from '@/lib/auth/use-auth';
import { PERMISSIONS } from '@/lib/permissions';
import { useSecrets } from '../api/get-secrets';
import { CreateSecretModal } from './create-secret-modal';
import { DeleteSecretModal } from './delete-secret-modal';
import { EditSecretModal } from './edit-secret-modal';
import { ReplaceValueModal } from './replace-value-modal';
import { RevealSecretModal } from './reveal-secret-modal';
import { SecretDetailsDrawer } from './secret-details-drawer';
import { SecretsTable, type SecretAction } from './secrets-table';
import { UsageDrawer } from './usage-drawer';

export function SecretsPage() {
  const { t } = useTranslation();
  const canCreate = usePermission(PERMISSIONS.secretsCreate);
  const canUpdate = usePermission(PERMISSIONS.secretsUpdate);
  const canDelete = usePermission(PERMISSIONS.secretsDelete);
  const canReveal = usePermission(PERMISSIONS.secretsReveal);

  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [kind, setKind] = useState<string | null>(null);
  const [paging, setPaging] = useState({ limit: 25, offset: 0 });
  const [createOpened, createModal] = useDisclosure(false);
  const [active, setActive] = useState<{ action: SecretAction; secret: Secret } | null>(null);

  const query: SecretsQuery = {
    q: q || undefined,
    kind: (kind as SecretKind | null) ?? undefined,
    limit: paging.limit,
    offset: paging.offset,
  };
  const secrets = useSecrets(query);
  const filtered = Boolean(q || kind);
  const resetPage = () => setPaging((p) => ({ ...p, offset: 0 }));
  const closeActive = () => setActive(null);
  const dialog = (action: SecretAction) => (active?.action === action ? active.secret : null);
  const viewing = dialog('details');
  const revealing = dialog('reveal');
  const editing = dialog('edit');
  const replacing = dialog('replace');
  const viewingUsage = dialog('usage');
  const deleting = dialog('delete');

  return (
    <>
      <PageHeader
        title={t('secrets.title')}
        actions={
          canCreate ? (
            <Button leftSection={<IconPlus size={16} />} onClick={createModal.open} data-testid="create-secret">
              {t('secrets.create')}
            </Button>
          ) : null
        }
      />
      <Text c="dimmed" size="sm" mb="md">
        {t('secrets.intro')}
      </Text>
      <Paper withBorder p="md" radius="md">
        <Group mb="md" gap="sm" wrap="wrap">
          <TextInput
            placeholder={t('secrets.searchPlaceholder')}
            aria-label={t('common.search')}
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              resetPage();
            }}
            style={{ flex: '1 1 260px' }}
            data-testid="secrets-search"
          />
          <Select
            placeholder={t('secrets.kindFilter')}
            aria-label={t('secrets.kindFilter')}
            clearable
            data={SECRET_KINDS.map((k) => ({ value: k, label: t(`secrets.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => {
              setKind(v);
              resetPage();
            }}
            w={200}
            data-testid="secrets-kind-filter"
          />
        </Group>
        {secrets.isError ? (
          <QueryError error={secrets.error} onRetry={() => void secrets.refetch()} />
        ) : !secrets.data ? (
          <TableSkeleton />
        ) : (
          <>
            <SecretsTable
              secrets={secrets.data.items}
              filtered={filtered}
              canUpdate={canUpdate}
              canDelete={canDelete}
              canReveal={canReveal}
              onAction={(action, secret) => setActive({ action, secret })}
            />
            {secrets.data.total > 0 ? (
              <PaginationBar total={secrets.data.total} limit={paging.limit} offset={paging.offset} onChange={setPaging} />
            ) : null}
          </>
        )}
      </Paper>
      {canCreate ? <CreateSecretModal opened={createOpened} onClose={createModal.close} /> : null}
      {viewing ? <SecretDetailsDrawer key={viewing.id} secret={viewing} onClose={closeActive} /> : null}
      {revealing ? <RevealSecretModal key={revealing.id} secret={revealing} onClose={closeActive} /> : null}
      {editing ? <EditSecretModal key={editing.id} secret={editing} onClose={closeActive} /> : null}
      {replacing ? <ReplaceValueModal key={replacing.id} secret={replacing} onClose={closeActive} /> : null}
      {viewingUsage ? <UsageDrawer key={viewingUsage.id} secret={viewingUsage} onClose={closeActive} /> : null}
      {deleting ? <DeleteSecretModal key={deleting.id} secret={deleting} onClose={closeActive} /> : null}
    </>
  );
}
