import { Loader, Select } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSecrets } from '../api/get-secrets';

/** The server's largest page: enough for a dropdown of keys. */
const KEYS_LIMIT = 500;

/** Picks an `ssh_key` secret by id, from the secrets list filtered by kind. */
export function KeySecretSelect({ value, error, onChange }: { value: string | null; error?: ReactNode; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const keys = useSecrets({ kind: 'ssh_key', limit: KEYS_LIMIT, offset: 0 });
  const data = (keys.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  return (
    <Select
      label={t('secrets.fields.keySecret')}
      description={t('secrets.hints.keySecret')}
      placeholder={keys.data && data.length === 0 ? t('secrets.placeholders.noKeys') : t('secrets.placeholders.keySecret')}
      searchable
      clearable
      nothingFoundMessage={t('secrets.placeholders.noKeys')}
      data={data}
      value={value}
      onChange={onChange}
      error={error ?? (keys.isError ? t('common.loadFailed') : undefined)}
      rightSection={keys.isLoading ? <Loader size="xs" /> : undefined}
      name="key_secret"
      data-testid="ssh-key-secret"
    />
  );
}
