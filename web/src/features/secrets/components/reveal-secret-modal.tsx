import { Alert, Button, Group, Modal, PasswordInput, Progress, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDownload, IconInfoCircle, IconShieldLock } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RevealedSecret, Secret } from '@/api/types';
import { ApiError } from '@/lib/api-error';
import { base64ToBytes } from '@/lib/base64';
import { saveBlob } from '@/lib/download';
import { notifyError } from '@/lib/notify';
import { useRevealSecret } from '../api/reveal-secret';
import { REVEAL_SECONDS, revealedEntries, type RevealedEntry } from '../lib/reveal';
import { RevealedField } from './revealed-field';

type View = { step: 'password'; autoHidden: boolean } | { step: 'shown'; revealed: RevealedSecret; remaining: number };

const INITIAL: View = { step: 'password', autoHidden: false };

/**
 * Asks for the caller's password, then shows the value and the other secret parts of the kind
 * (user name, passphrase, become password, file name) masked, with show and copy buttons, for
 * REVEAL_SECONDS; a file is offered as a download instead. The response lives only in this
 * component's state: it is dropped when the timer runs out or the dialog closes, and never
 * enters the query or mutation cache.
 * Mount with a `key` per secret and unmount on close.
 */
export function RevealSecretModal({ secret, onClose }: { secret: Secret; onClose: () => void }) {
  const { t } = useTranslation();
  const reveal = useRevealSecret();
  const [view, setView] = useState<View>(INITIAL);
  const form = useForm({ initialValues: { password: '' }, validate: { password: (v) => (v ? null : t('validation.required')) } });
  const shown = view.step === 'shown';

  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => {
      setView((v) => (v.step !== 'shown' ? v : v.remaining > 1 ? { ...v, remaining: v.remaining - 1 } : { step: 'password', autoHidden: true }));
    }, 1000);
    return () => clearInterval(timer);
  }, [shown]);

  const close = () => {
    setView(INITIAL);
    form.reset();
    reveal.reset();
    onClose();
  };

  const fieldLabel = (field: RevealedEntry['field']): string => {
    switch (field) {
      case 'value':
        return t(`secrets.valueLabels.${secret.kind}`);
      case 'username':
        return t('secrets.fields.username');
      case 'passphrase':
        return t('secrets.fields.passphrase');
      case 'become_password':
        return t('secrets.fields.becomePassword');
      case 'file_name':
        return t('secrets.fields.fileName');
    }
  };

  const download = () => {
    if (view.step !== 'shown') return;
    const { value, file_name } = view.revealed;
    saveBlob(new Blob([base64ToBytes(value)], { type: 'application/octet-stream' }), file_name || secret.file_name || secret.name);
  };

  const submit = form.onSubmit(({ password }) =>
    reveal.mutate(
      { id: secret.id, password },
      {
        onSuccess: (data) => {
          setView({ step: 'shown', revealed: data, remaining: REVEAL_SECONDS });
          form.reset();
          // Drop the response and the password from the mutation's state at once.
          reveal.reset();
        },
        onError: (err) => {
          reveal.reset();
          if (err instanceof ApiError && err.status === 429) {
            form.setFieldError(
              'password',
              err.retryAfter ? t('secrets.throttled', { count: err.retryAfter }) : t('secrets.throttledNoTime'),
            );
          } else if (err instanceof ApiError && err.fieldErrors.password) {
            form.setFieldError('password', t('secrets.wrongPassword'));
          } else {
            notifyError(err);
          }
        },
      },
    ),
  );

  return (
    <Modal opened onClose={close} title={t('secrets.revealTitle', { name: secret.name })} centered size="lg">
      {view.step === 'shown' ? (
        <Stack data-testid="reveal-shown">
          {revealedEntries(secret.kind, view.revealed).map((e) => (
            <RevealedField key={e.field} field={e.field} label={fieldLabel(e.field)} value={e.value} />
          ))}
          {secret.kind === 'file' ? (
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" c="dimmed">
                {t('secrets.downloadHint')}
              </Text>
              <Button variant="light" leftSection={<IconDownload size={16} />} onClick={download} data-testid="reveal-download">
                {t('secrets.download')}
              </Button>
            </Group>
          ) : null}
          <Stack gap={4}>
            <Text size="sm" c="dimmed" data-testid="reveal-countdown">
              {t('secrets.hiddenIn', { count: view.remaining })}
            </Text>
            <Progress value={(view.remaining / REVEAL_SECONDS) * 100} size="sm" aria-hidden />
          </Stack>
          <Group justify="flex-end">
            <Button onClick={close} data-testid="reveal-close">
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate data-testid="reveal-form">
          <Stack>
            {view.autoHidden ? (
              <Alert color="blue" icon={<IconInfoCircle />} data-testid="reveal-auto-hidden">
                {t('secrets.autoHidden', { count: REVEAL_SECONDS })}
              </Alert>
            ) : null}
            <Text size="sm">{t('secrets.revealConfirm')}</Text>
            <PasswordInput
              label={t('secrets.yourPassword')}
              required
              autoComplete="current-password"
              data-autofocus
              name="reveal-password"
              {...form.getInputProps('password')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={reveal.isPending} leftSection={<IconShieldLock size={16} />} data-testid="reveal-submit">
                {view.autoHidden ? t('secrets.revealAgain') : t('secrets.reveal')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
