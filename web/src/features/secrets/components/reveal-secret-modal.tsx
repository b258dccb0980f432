import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, PasswordInput, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconCopy, IconEye, IconEyeOff, IconInfoCircle, IconShieldLock } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { ApiError } from '@/lib/api-error';
import { notifyError } from '@/lib/notify';
import { useRevealSecret } from '../api/reveal-secret';
import { REVEAL_SECONDS } from '../lib/reveal';

type View =
  | { step: 'password'; autoHidden: boolean }
  | { step: 'shown'; value: string; remaining: number; visible: boolean };

const INITIAL: View = { step: 'password', autoHidden: false };
const MASK = '•'.repeat(16);

/**
 * Asks for the caller's password, then shows the value masked, with show and copy buttons, for
 * REVEAL_SECONDS. The value lives only in this component's state: it is dropped when the timer
 * runs out or the dialog closes, and never enters the query or mutation cache.
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

  const submit = form.onSubmit(({ password }) =>
    reveal.mutate(
      { id: secret.id, password },
      {
        onSuccess: (data) => {
          setView({ step: 'shown', value: data.value, remaining: REVEAL_SECONDS, visible: false });
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
          <Group wrap="nowrap" align="flex-start" gap="xs">
            <Code
              block
              style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', maxHeight: 320, overflow: 'auto' }}
              data-testid="revealed-value"
              data-visible={view.visible}
            >
              {view.visible ? view.value : MASK}
            </Code>
            <Tooltip label={view.visible ? t('secrets.hideValue') : t('secrets.showValue')}>
              <ActionIcon
                variant="default"
                size="lg"
                aria-label={view.visible ? t('secrets.hideValue') : t('secrets.showValue')}
                onClick={() => setView((v) => (v.step === 'shown' ? { ...v, visible: !v.visible } : v))}
                data-testid="reveal-toggle"
              >
                {view.visible ? <IconEyeOff size={18} /> : <IconEye size={18} />}
              </ActionIcon>
            </Tooltip>
            <CopyButton value={view.value}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? t('common.copied') : t('common.copy')}>
                  <ActionIcon variant="default" size="lg" color={copied ? 'teal' : undefined} aria-label={t('common.copy')} onClick={copy}>
                    {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
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
