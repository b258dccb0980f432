import { Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSshCredentials } from '../api/get-ssh-credentials';

/** Picks an `ssh_credential` secret by id; '' means none. */
export function CredentialSelect({ value, onChange, ...props }: Omit<SelectProps, 'data' | 'value' | 'onChange'> & { value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const credentials = useSshCredentials();
  const items = credentials.data?.items ?? [];
  const data = [{ value: '', label: t('hosts.noCredential') }, ...items.map((s) => ({ value: s.id, label: s.username ? `${s.name} (${s.username})` : s.name }))];
  return (
    <Select
      label={t('hosts.fields.credential')}
      description={t('hosts.credentialHint')}
      searchable
      allowDeselect={false}
      nothingFoundMessage={t('hosts.noCredentials')}
      data={data}
      value={value}
      onChange={(v) => onChange(v ?? '')}
      disabled={credentials.isLoading}
      error={credentials.isError ? t('common.loadFailed') : undefined}
      {...props}
    />
  );
}
