import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Group as HostGroup } from '@/api/types';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { useDeleteGroup } from '../api/delete-group';

/** Confirms a delete; a refusal (409: another rule uses `in_group(name)`) is shown in the dialog. */
export function DeleteGroupModal({ group, onClose, onDeleted }: { group: HostGroup; onClose: () => void; onDeleted?: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteGroup();
  return (
    <Modal opened onClose={onClose} title={t('groups.deleteTitle')} centered>
      <Stack data-testid="delete-group">
        <Text size="sm">{t('groups.deleteConfirm', { name: group.name })}</Text>
        {remove.error ? (
          <Alert color="red" icon={<IconAlertTriangle />} data-testid="delete-group-error">
            {errorMessage(remove.error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate(group.id, {
                onSuccess: () => {
                  notifySuccess(t('groups.deleted', { name: group.name }));
                  onClose();
                  onDeleted?.();
                },
              })
            }
            data-testid="delete-group-confirm"
          >
            {t('common.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
