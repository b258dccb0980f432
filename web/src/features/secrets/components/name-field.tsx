import { TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeSecretName } from '../lib/validation';

/** The secret name, with a live hint of how variables refer to it. */
export function NameField({ value, error, onChange }: { value: string; error?: ReactNode; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const ref = `{{ secret:${normalizeSecretName(value) || 'NAME'} }}`;
  return (
    <TextInput
      label={t('secrets.name')}
      description={t('secrets.nameHint', { ref })}
      required
      autoComplete="off"
      spellCheck={false}
      data-autofocus
      name="name"
      value={value}
      error={error}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
