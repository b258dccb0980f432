import { Button, Group, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { EDITABLE_SECRET_KINDS, type SecretKind } from '@/api/types';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useCreateSecret } from '../api/create-secret';
import { expiryToApi } from '../lib/expiry';
import { normalizeSecretName, rowsToTags, validateSecretForm, type SecretFormValues } from '../lib/validation';
import { NameField } from './name-field';
import { SecretValueInput } from './secret-value-input';
import { TagsEditor } from './tags-editor';

const EMPTY: SecretFormValues = { name: '', kind: 'password', description: '', value: '', tags: [], expires_at: null };

export function CreateSecretModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateSecret();
  const form = useForm<SecretFormValues>({ initialValues: EMPTY, validate: (v) => validateSecretForm(t, v) });

  const close = () => {
    // The typed value is dropped from memory with the form.
    form.reset();
    create.reset();
    onClose();
  };

  const submit = form.onSubmit((v) =>
    create.mutate(
      {
        name: normalizeSecretName(v.name),
        kind: v.kind,
        description: v.description.trim(),
        tags: rowsToTags(v.tags),
        value: v.value,
        expires_at: expiryToApi(v.expires_at),
      },
      {
        onSuccess: (secret) => {
          notifySuccess(t('secrets.created', { name: secret.name }));
          close();
        },
        onError: (err) => {
          if (!applyFieldErrors(err, form.setFieldError, ['name', 'kind', 'description', 'value', 'tags', 'expires_at'])) notifyError(err);
        },
      },
    ),
  );

  return (
    <Modal opened={opened} onClose={close} title={t('secrets.createTitle')} centered size="lg">
      <form onSubmit={submit} noValidate data-testid="create-secret-form">
        <Stack>
          <NameField value={form.values.name} error={form.errors.name} onChange={(v) => form.setFieldValue('name', v)} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('secrets.kind')}
            </Text>
            <SegmentedControl
              aria-label={t('secrets.kind')}
              data={EDITABLE_SECRET_KINDS.map((k) => ({ value: k, label: t(`secrets.kinds.${k}`) }))}
              value={form.values.kind}
              onChange={(k) => {
                form.setFieldValue('kind', k as SecretKind);
                form.clearFieldError('value');
              }}
              data-testid="create-secret-kind"
            />
          </Stack>
          <SecretValueInput
            kind={form.values.kind}
            label={t('secrets.value')}
            value={form.values.value}
            error={form.errors.value}
            onChange={(v) => form.setFieldValue('value', v)}
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
    </Modal>
  );
}
