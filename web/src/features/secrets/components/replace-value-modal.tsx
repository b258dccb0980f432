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
import { valueDraftErrors } from '../lib/validation';
import { EMPTY_DRAFT, toValueFields, VALUE_FIELDS, type ValueDraft } from '../lib/value-draft';
import { SecretValueFields } from './secret-value-fields';
import { SshKeySaved } from './ssh-key-saved';

/** A credential's user and key are not secret: start from them, so only the password needs typing again. */
function initialDraft(s: Secret): ValueDraft {
  return { ...EMPTY_DRAFT, username: s.username ?? '', key_secret: s.key_secret_id ?? null };
}

/** Mount with a `key` per secret; the typed value goes away with the component. */
export function ReplaceValueModal({ secret: initial, onClose }: { secret: Secret; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const replace = useReplaceSecretValue();
  const [secret, setSecret] = useState(initial);
  const [stale, setStale] = useState(false);
  const [savedKey, setSavedKey] = useState<Secret | null>(null);
  const form = useForm<ValueDraft>({ initialValues: initialDraft(initial), validate: (v) => valueDraftErrors(t, secret.kind, v) });

  const changeDraft = (patch: Partial<ValueDraft>) => {
    form.setValues(patch);
    for (const field of Object.keys(patch)) form.clearFieldError(field);
  };

  const submit = form.onSubmit((v) =>
    replace.mutate(
      { id: secret.id, body: { version: secret.version, ...toValueFields(secret.kind, v) } },
      {
        onSuccess: (saved) => {
          notifySuccess(t('secrets.replaced', { name: saved.name }));
          if (saved.kind === 'ssh_key') {
            form.reset();
            setSavedKey(saved);
          } else {
            onClose();
          }
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
          if (!applyFieldErrors(err, form.setFieldError, VALUE_FIELDS)) notifyError(err);
        },
      },
    ),
  );

  return (
    <Modal opened onClose={onClose} title={t('secrets.replaceTitle', { name: secret.name })} centered size="lg">
      {savedKey ? (
        <SshKeySaved secret={savedKey} onClose={onClose} />
      ) : (
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
            <SecretValueFields
              kind={secret.kind}
              label={t('secrets.newValue')}
              draft={form.values}
              errors={form.errors}
              onChange={changeDraft}
              onError={(field, message) => form.setFieldError(field, message)}
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
      )}
    </Modal>
  );
}
