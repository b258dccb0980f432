import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { secretQueryOptions } from '../api/get-secret';
import { useReplaceSecretValue } from '../api/replace-secret-value';
import { secretValueError } from '../lib/validation';
import { SecretValueInput } from './secret-value-input';

/** Mount with a `key` per secret; the typed value goes away with the component. */
export function ReplaceValueModal({ secret: initial, onClose }: { secret: Secret; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const replace = useReplaceSecretValue();
  const [secret, setSecret] = useState(initial);
  const [stale, setStale] = useState(false);
  const form = useForm({ initialValues: { value: '' }, validate: { value: (v) => secretValueError(t, secret.kind, v) } });

  const submit = form.onSubmit((v) =>
    replace.mutate(
      { id: secret.id, body: { version: secret.version, value: v.value } },
      {
        onSuccess: (saved) => {
          notifySuccess(t('secrets.replaced', { name: saved.name }));
          onClose();
        },
        onError: async (err) => {
          if (isApiError(err, 'stale_version')) {
            try {
              setSecret(await queryClient.fetchQuery({ ...secretQueryOptions(secret.id), staleTime: 0 }));
              setStale(true);
            } catch (reloadErr) {
              notifyError(reloadErr);
            }
            return;
          }
          if (!applyFieldErrors(err, form.setFieldError, ['value'])) notifyError(err);
        },
      },
    ),
  );

  return (
    <Modal opened onClose={onClose} title={t('secrets.replaceTitle', { name: secret.name })} centered size="lg">
      <form onSubmit={submit} noValidate data-testid="replace-value-form">
        <Stack>
          {stale ? (
            <Alert color="yellow" icon={<IconAlertTriangle />} data-testid="stale-version">
              {t('errors.staleVersion')}
            </Alert>
          ) : null}
          <Text size="sm" c="dimmed">
            {t('secrets.replaceHint')}
          </Text>
          <SecretValueInput
            kind={secret.kind}
            label={t('secrets.newValue')}
            value={form.values.value}
            error={form.errors.value}
            onChange={(v) => form.setFieldValue('value', v)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={replace.isPending} data-testid="replace-value-submit">
              {t('secrets.replaceValue')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
