import { Alert, Button, Checkbox, Code, Group, List, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { isApiError } from '@/lib/api-error';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useDeleteSecret } from '../api/delete-secret';
import { useSecretUsage } from '../api/get-secret-usage';

/** Confirms a delete; when something uses the secret, warns and requires an explicit "force". */
export function DeleteSecretModal({ secret, onClose }: { secret: Secret; onClose: () => void }) {
  const { t } = useTranslation();
  const usage = useSecretUsage(secret.id);
  const remove = useDeleteSecret();
  const [force, setForce] = useState(false);
  const inUse = (usage.data?.total ?? 0) > 0;

  const confirm = () =>
    remove.mutate(
      { id: secret.id, force: inUse && force },
      {
        onSuccess: () => {
          notifySuccess(t('secrets.deleted', { name: secret.name }));
          onClose();
        },
        onError: (err) => {
          // Something started using it meanwhile: show the fresh usage and ask again.
          if (isApiError(err, 'conflict')) void usage.refetch();
          notifyError(err);
        },
      },
    );

  return (
    <Modal opened onClose={onClose} title={t('secrets.deleteTitle')} centered>
      <Stack data-testid="delete-secret">
        <Text size="sm">{t('secrets.deleteConfirm', { name: secret.name })}</Text>
        {usage.isError ? <QueryError error={usage.error} onRetry={() => void usage.refetch()} /> : null}
        {usage.data && inUse ? (
          <Alert color="red" icon={<IconAlertTriangle />} data-testid="delete-in-use">
            <Stack gap="xs">
              <Text size="sm">{t('secrets.deleteInUse', { count: usage.data.total })}</Text>
              <List size="sm">
                {usage.data.items.map((item) => (
                  <List.Item key={item}>
                    <Code>{item}</Code>
                  </List.Item>
                ))}
              </List>
              <Checkbox
                label={t('secrets.deleteForce')}
                checked={force}
                onChange={(e) => setForce(e.currentTarget.checked)}
                data-testid="delete-force"
              />
            </Stack>
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            onClick={confirm}
            loading={remove.isPending}
            disabled={(!usage.data && !usage.isError) || (inUse && !force)}
            data-testid="delete-secret-confirm"
          >
            {t('common.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
