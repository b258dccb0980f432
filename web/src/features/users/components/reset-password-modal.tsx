import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { User } from '@/api/types';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useResetUserPassword } from '../api/reset-user-password';
import { passwordError } from '../lib/validation';

export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const reset = useResetUserPassword();
  const form = useForm({
    initialValues: { password: '' },
    validate: { password: (v) => passwordError(t, v, user.username) },
  });
  const submit = form.onSubmit(({ password }) =>
    reset.mutate(
      { id: user.id, password },
      {
        onSuccess: () => {
          notifySuccess(t('users.passwordReset', { name: user.username }));
          onClose();
        },
        onError: (err) => {
          if (!applyFieldErrors(err, form.setFieldError, ['password'])) notifyError(err);
        },
      },
    ),
  );
  return (
    <Modal opened onClose={onClose} title={t('users.resetTitle', { name: user.username })} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('users.resetHint')}
          </Text>
          <PasswordInput label={t('users.newPassword')} required autoComplete="new-password" data-autofocus {...form.getInputProps('password')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={reset.isPending}>
              {t('users.resetPassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
