import { Button, Group, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SECRET_KINDS, type Secret, type SecretKind } from '@/api/types';
import { TagsEditor } from '@/components/forms/tags-editor';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useCreateSecret } from '../api/create-secret';
import { expiryToApi } from '../lib/expiry';
import { normalizeSecretName, rowsToTags, validateSecretForm, type SecretFormValues } from '../lib/validation';
import { EMPTY_DRAFT, toValueFields, VALUE_FIELDS, type ValueDraft } from '../lib/value-draft';
import { NameField } from './name-field';
import { SecretValueFields } from './secret-value-fields';
import { SshKeySaved } from './ssh-key-saved';

const EMPTY: SecretFormValues = { ...EMPTY_DRAFT, name: '', kind: 'password', description: '', tags: [], expires_at: null };
/** Kinds whose value is one string of the same shape: switching between them keeps what was typed. */
const PLAIN_KINDS: readonly SecretKind[] = ['password', 'token', 'text'];

export function CreateSecretModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateSecret();
  const form = useForm<SecretFormValues>({ initialValues: EMPTY, validate: (v) => validateSecretForm(t, v) });
  // A saved SSH key: its public key is shown before the dialog closes.
  const [savedKey, setSavedKey] = useState<Secret | null>(null);

  const close = () => {
    // The typed value is dropped from memory with the form.
    form.reset();
    create.reset();
    setSavedKey(null);
    onClose();
  };

  const changeDraft = (patch: Partial<ValueDraft>) => {
    form.setValues(patch);
    for (const field of Object.keys(patch)) form.clearFieldError(field);
  };

  const changeKind = (kind: SecretKind) => {
    const keep = PLAIN_KINDS.includes(form.values.kind) && PLAIN_KINDS.includes(kind);
    form.setValues({ ...EMPTY_DRAFT, value: keep ? form.values.value : '', kind });
    for (const field of VALUE_FIELDS) form.clearFieldError(field);
  };

  const submit = form.onSubmit((v) =>
    create.mutate(
      {
        name: normalizeSecretName(v.name),
        kind: v.kind,
        description: v.description.trim(),
        tags: rowsToTags(v.tags),
        ...toValueFields(v.kind, v),
        expires_at: expiryToApi(v.expires_at),
      },
      {
        onSuccess: (secret) => {
          notifySuccess(t('secrets.created', { name: secret.name }));
          if (secret.kind === 'ssh_key') {
            form.reset();
            setSavedKey(secret);
          } else {
            close();
          }
        },
        onError: (err) => {
          if (!applyFieldErrors(err, form.setFieldError, ['name', 'kind', 'description', 'tags', 'expires_at', ...VALUE_FIELDS])) notifyError(err);
        },
      },
    ),
  );

  return (
    <Modal opened={opened} onClose={close} title={t('secrets.createTitle')} centered size="xl">
      {savedKey ? (
        <SshKeySaved secret={savedKey} onClose={close} />
      ) : (
        <form onSubmit={submit} noValidate data-testid="create-secret-form">
          <Stack>
            <NameField value={form.values.name} error={form.errors.name} onChange={(v) => form.setFieldValue('name', v)} />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('secrets.kind')}
              </Text>
              <SegmentedControl
                aria-label={t('secrets.kind')}
                fullWidth
                data={SECRET_KINDS.map((k) => ({ value: k, label: t(`secrets.kinds.${k}`) }))}
                value={form.values.kind}
                onChange={(k) => changeKind(k as SecretKind)}
                data-testid="create-secret-kind"
              />
            </Stack>
            <SecretValueFields
              kind={form.values.kind}
              label={t('secrets.value')}
              draft={form.values}
              errors={form.errors}
              onChange={changeDraft}
              onError={(field, message) => form.setFieldError(field, message)}
            />
            <Textarea label={t('secrets.description')} autosize minRows={2} maxRows={6} name="description" {...form.getInputProps('description')} />
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
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="create-secret-submit">
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
