import { Alert, Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Secret, UpdateSecretBody } from '@/api/types';
import { isApiError } from '@/lib/api-error';
import { TagsEditor } from '@/components/forms/tags-editor';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { secretQueryOptions } from '../api/get-secret';
import { useUpdateSecret } from '../api/update-secret';
import { expiryFromApi, expiryToApi } from '../lib/expiry';
import { normalizeSecretName, rowsToTags, sameTags, tagsToRows, validateSecretForm, type SecretFormValues } from '../lib/validation';
import { EMPTY_DRAFT } from '../lib/value-draft';
import { NameField } from './name-field';

function toValues(s: Secret): SecretFormValues {
  return { ...EMPTY_DRAFT, name: s.name, kind: s.kind, description: s.description, tags: tagsToRows(s.tags), expires_at: expiryFromApi(s.expires_at) };
}

/** Metadata only (the value has its own dialog). Mount with a `key` per secret. */
export function EditSecretModal({ secret: initial, onClose }: { secret: Secret; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useUpdateSecret();
  const [secret, setSecret] = useState(initial);
  const [stale, setStale] = useState(false);
  const form = useForm<SecretFormValues>({ initialValues: toValues(initial), validate: (v) => validateSecretForm(t, v, false) });

  const submit = form.onSubmit((v) => {
    const name = normalizeSecretName(v.name);
    const description = v.description.trim();
    const tags = rowsToTags(v.tags);
    const expiryChanged = v.expires_at !== expiryFromApi(secret.expires_at);
    const body: UpdateSecretBody = {
      version: secret.version,
      name: name !== secret.name ? name : undefined,
      description: description !== secret.description ? description : undefined,
      tags: sameTags(tags, secret.tags) ? undefined : tags,
      // null clears the expiry; absent leaves it.
      expires_at: expiryChanged ? expiryToApi(v.expires_at) : undefined,
    };
    update.mutate(
      { id: secret.id, body },
      {
        onSuccess: (saved) => {
          notifySuccess(t('secrets.updated', { name: saved.name }));
          onClose();
        },
        onError: async (err) => {
          if (isApiError(err, 'stale_version')) {
            // Someone else saved first: load their version and let the user review it.
            try {
              const fresh = await queryClient.fetchQuery({ ...secretQueryOptions(secret.id), staleTime: 0 });
              setSecret(fresh);
              form.setValues(toValues(fresh));
              form.resetDirty(toValues(fresh));
              setStale(true);
            } catch (reloadErr) {
              notifyError(reloadErr);
            }
            return;
          }
          if (!applyFieldErrors(err, form.setFieldError, ['name', 'description', 'tags', 'expires_at'])) notifyError(err);
        },
      },
    );
  });

  return (
    <Modal opened onClose={onClose} title={t('secrets.editTitle', { name: secret.name })} centered size="lg">
      <form onSubmit={submit} noValidate data-testid="edit-secret-form">
        <Stack>
          {stale ? (
            <Alert color="yellow" icon={<IconAlertTriangle />} data-testid="stale-version">
              {t('errors.staleVersion')}
            </Alert>
          ) : null}
          <NameField value={form.values.name} error={form.errors.name} onChange={(v) => form.setFieldValue('name', v)} />
          <Textarea label={t('secrets.description')} autosize minRows={2} maxRows={6} {...form.getInputProps('description')} />
          <TagsEditor rows={form.values.tags} errors={form.errors} onChange={(rows) => form.setFieldValue('tags', rows)} />
          <DateInput
            label={t('secrets.expiresAt')}
            description={t('secrets.expiresAtHint')}
            clearable
            valueFormat="L"
            placeholder={t('secrets.noExpiry')}
            {...form.getInputProps('expires_at')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
