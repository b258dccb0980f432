import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors } from '@/lib/form-errors';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { MIN_PASSWORD_LENGTH } from '@/lib/password-policy';
import { useChangePassword } from '../api/change-password';
import { validateChangePassword, type ChangePasswordValues } from '../lib/validation';


export function ChangePasswordForm({ username, onDone, onCancel }: { username: string; onDone?: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const form = useForm<ChangePasswordValues>({
    initialValues: { current_password: '', new_password: '', confirm: '' },
    validate: (values) => validateChangePassword(values, username, t),
  });

  const submit = form.onSubmit((values) => {
    change.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          notifySuccess(t('auth.changed'));
          form.reset();
          onDone?.();
        },
        onError: (err) => {
          if (isApiError(err, 'invalid_credentials')) form.setFieldError('current_password', t('auth.wrongCurrent'));
          else applyFieldErrors(err, form.setFieldError, ['current_password', 'new_password']);
        },
      },
    );
  });

  const showAlert =
    change.error && !isApiError(change.error, 'invalid_credentials') && !(isApiError(change.error) && Object.keys(change.error.fieldErrors).length > 0);

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {showAlert ? (
          <Alert color="red" icon={<IconAlertCircle />} role="alert">
            {errorMessage(change.error)}
          </Alert>
        ) : null}
        <PasswordInput
          label={t('auth.currentPassword')}
          autoComplete="current-password"
          required
          name="current_password"
          {...form.getInputProps('current_password')}
        />
        <PasswordInput
          label={t('auth.newPassword')}
          autoComplete="new-password"
          required
          name="new_password"
          {...form.getInputProps('new_password')}
        />
        <PasswordInput
          label={t('auth.confirmPassword')}
          autoComplete="new-password"
          required
          name="confirm"
          {...form.getInputProps('confirm')}
        />
        <Text size="xs" c="dimmed">
          {t('auth.passwordHint', { min: MIN_PASSWORD_LENGTH })}
        </Text>
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={change.isPending} data-testid="change-password-submit">
            {t('auth.changeSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
