import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@/lib/api-error';
import { errorMessage } from '@/lib/notify';
import { useLogin } from '../api/login';
import { AuthLayout } from './auth-layout';

export function LoginPage({ notice, toolbar }: { notice?: 'expired' | 'logged_out'; toolbar?: ReactNode }) {
  const { t } = useTranslation();
  const login = useLogin();
  const [lockedFor, setLockedFor] = useState(0);

  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (v) => (v.trim() ? null : t('validation.required')),
      password: (v) => (v ? null : t('validation.required')),
    },
  });

  // Count the Retry-After window down so the message and the button stay truthful.
  useEffect(() => {
    if (lockedFor <= 0) return;
    const id = setTimeout(() => setLockedFor((s) => Math.max(0, s - 1)), 1000);
    return () => clearTimeout(id);
  }, [lockedFor]);

  const submit = form.onSubmit((values) => {
    login.mutate(
      { username: values.username.trim(), password: values.password },
      {
        onError: (err) => {
          if (isApiError(err, 'rate_limited') || (isApiError(err) && err.status === 429)) {
            setLockedFor(err.retryAfter ?? 0);
          }
          form.setFieldValue('password', '');
        },
      },
    );
  });

  let error: string | null = null;
  if (login.error) {
    const err = login.error;
    if (isApiError(err) && err.status === 429) {
      error = lockedFor > 0 ? t('auth.throttled', { count: lockedFor }) : t('auth.throttledNoTime');
    } else if (isApiError(err, 'invalid_credentials') || (isApiError(err) && err.status === 401)) {
      error = t('auth.invalidCredentials');
    } else {
      error = errorMessage(err);
    }
  }

  return (
    <AuthLayout title={t('auth.signInTitle')} subtitle={t('auth.signInSubtitle')} toolbar={toolbar}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {notice && !error ? (
            <Alert icon={<IconInfoCircle />} color="blue" variant="light">
              {notice === 'expired' ? t('errors.sessionExpired') : t('auth.loggedOut')}
            </Alert>
          ) : null}
          {error ? (
            <Alert icon={<IconAlertCircle />} color="red" variant="light" role="alert" data-testid="login-error">
              {error}
            </Alert>
          ) : null}
          <TextInput
            label={t('auth.username')}
            autoComplete="username"
            autoFocus
            required
            name="username"
            {...form.getInputProps('username')}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            name="password"
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={login.isPending} disabled={lockedFor > 0} fullWidth data-testid="login-submit">
            {t('auth.signIn')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
