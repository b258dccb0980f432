import { Alert, Button, Code, CopyButton, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedApiToken } from '@/api/types';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError } from '@/lib/notify';
import { useCreateToken } from '../api/create-token';

type Values = { name: string; expires_in_days: number | string };

export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateToken();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const form = useForm<Values>({
    initialValues: { name: '', expires_in_days: 90 },
    validate: {
      name: (v) => (!v.trim() ? t('validation.required') : v.length > 100 ? t('validation.tooLong', { max: 100 }) : null),
      expires_in_days: (v) =>
        v === '' || (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 3650) ? null : t('validation.integerRange', { min: 1, max: 3650 }),
    },
  });

  const close = () => {
    // The secret is dropped from memory as soon as the dialog closes.
    setCreated(null);
    form.reset();
    create.reset();
    onClose();
  };

  const submit = form.onSubmit((v) =>
    create.mutate(
      { name: v.name.trim(), expires_in_days: v.expires_in_days === '' ? null : Number(v.expires_in_days) },
      {
        onSuccess: setCreated,
        onError: (err) => {
          if (!applyFieldErrors(err, form.setFieldError, ['name', 'expires_in_days'])) notifyError(err);
        },
      },
    ),
  );

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('tokens.createdTitle') : t('tokens.createTitle')}
      centered
      closeOnClickOutside={!created}
      size="lg"
    >
      {created ? (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle />}>
            {t('tokens.secretWarning')}
          </Alert>
          <Text size="sm" fw={500}>
            {t('tokens.secret')}
          </Text>
          <Group wrap="nowrap" align="flex-start">
            <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="token-secret">
              {created.secret}
            </Code>
            <CopyButton value={created.secret}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={close}>{t('tokens.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput label={t('tokens.name')} required data-autofocus {...form.getInputProps('name')} />
            <NumberInput
              label={t('tokens.expiresInDays')}
              description={t('tokens.expiresInDaysHint')}
              min={1}
              max={3650}
              allowDecimal={false}
              allowNegative={false}
              {...form.getInputProps('expires_in_days')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
