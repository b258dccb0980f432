import { PasswordInput, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ValueInputProps } from '../lib/value-draft';
import { KeySecretSelect } from './key-secret-select';

/** A remote login: user name, then a password, an SSH key secret or both, and an optional become password. */
export function SshCredentialInput({ draft, errors, onChange, onError }: ValueInputProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <TextInput
        label={t('secrets.fields.username')}
        description={t('secrets.hints.username')}
        required
        name="username"
        autoComplete="off"
        spellCheck={false}
        value={draft.username}
        error={errors.username}
        onChange={(e) => onChange({ username: e.currentTarget.value })}
        data-testid="ssh-username"
      />
      <PasswordInput
        label={t('secrets.fields.password')}
        description={t('secrets.hints.password')}
        name="value"
        autoComplete="new-password"
        spellCheck={false}
        value={draft.value}
        error={errors.value}
        onChange={(e) => onChange({ value: e.currentTarget.value })}
        data-testid="secret-value"
      />
      <KeySecretSelect
        value={draft.key_secret}
        error={errors.key_secret}
        onChange={(id) => {
          onChange({ key_secret: id });
          // "password or key" is reported on the password; a key answers it too.
          if (id) onError('value', null);
        }}
      />
      <PasswordInput
        label={t('secrets.fields.becomePassword')}
        description={t('secrets.hints.becomePassword')}
        name="become_password"
        autoComplete="new-password"
        spellCheck={false}
        value={draft.become_password}
        error={errors.become_password}
        onChange={(e) => onChange({ become_password: e.currentTarget.value })}
        data-testid="ssh-become-password"
      />
    </Stack>
  );
}
