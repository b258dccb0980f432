import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '@/components/feedback/query-error';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useAddHostsToGroup } from '../api/add-hosts-to-group';
import { useStaticGroups } from '../api/get-static-groups';

/** Adds the selected hosts to a static group of the user's choice. */
export function AddToGroupModal({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const groups = useStaticGroups();
  const add = useAddHostsToGroup();
  const [groupId, setGroupId] = useState<string | null>(null);
  const name = groups.data?.find((g) => g.id === groupId)?.name ?? '';
  const submit = () => {
    if (!groupId) return;
    add.mutate(
      { groupId, ids },
      {
        onSuccess: (r) => {
          notifySuccess(t('hosts.groups.added', { count: r.changed, name }));
          onClose();
        },
        onError: (err) => notifyError(err),
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('hosts.groups.addTitle', { count: ids.length })} centered>
      <Stack data-testid="add-to-group">
        {groups.isError ? <QueryError error={groups.error} onRetry={() => void groups.refetch()} /> : null}
        {groups.data && groups.data.length === 0 ? (
          <Alert color="yellow">{t('hosts.groups.noStatic')}</Alert>
        ) : (
          <Select
            label={t('hosts.groups.group')}
            description={t('hosts.groups.staticOnly')}
            placeholder={t('hosts.groups.choose')}
            data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
            value={groupId}
            onChange={setGroupId}
            searchable
            data-testid="add-to-group-select"
          />
        )}
        <Text size="xs" c="dimmed">
          {t('hosts.groups.alreadyIn')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={!groupId} loading={add.isPending} data-testid="add-to-group-submit">
            {t('hosts.groups.add')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
