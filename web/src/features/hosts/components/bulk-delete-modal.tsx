import { Button, Code, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useBulkDeleteHosts } from '../api/bulk-delete-hosts';

const SHOWN = 10;

/** Confirms deleting the selected hosts; `names` are those known on screen (maybe fewer than `ids`). */
export function BulkDeleteModal({ ids, names, onClose, onDeleted }: { ids: string[]; names: string[]; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const remove = useBulkDeleteHosts();
  const confirm = () =>
    remove.mutate(ids, {
      onSuccess: (result) => {
        notifySuccess(t('hosts.bulk.deleted', { count: result.deleted.length }));
        onDeleted();
        onClose();
      },
      onError: (err) => notifyError(err),
    });
  return (
    <Modal opened onClose={onClose} title={t('hosts.bulk.deleteTitle')} centered>
      <Stack data-testid="bulk-delete">
        <Text size="sm">{t('hosts.bulk.deleteConfirm', { count: ids.length })}</Text>
        {names.length > 0 ? (
          <List size="sm">
            {names.slice(0, SHOWN).map((n) => (
              <List.Item key={n}>
                <Code>{n}</Code>
              </List.Item>
            ))}
            {names.length > SHOWN ? <List.Item>{t('hosts.bulk.andMore', { count: names.length - SHOWN })}</List.Item> : null}
          </List>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" onClick={confirm} loading={remove.isPending} data-testid="bulk-delete-confirm">
            {t('common.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
