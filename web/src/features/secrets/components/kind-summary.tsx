import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { formatBytes } from '@/lib/format';

/** One line of non-secret, kind-specific metadata for the table: key fingerprint, login user, file name and size. */
export function KindSummary({ secret: s }: { secret: Secret }) {
  const { t } = useTranslation();
  const text =
    s.kind === 'ssh_key' && s.fingerprint
      ? [s.algorithm, s.fingerprint].filter(Boolean).join(' ')
      : s.kind === 'ssh_credential' && s.username
        ? t('secrets.summary.credential', { username: s.username })
        : s.kind === 'file' && s.file_name
          ? t('secrets.summary.file', { name: s.file_name, size: s.size == null ? '?' : formatBytes(s.size) })
          : null;
  if (!text) return null;
  return (
    <Text size="xs" c="dimmed" ff="monospace" truncate="end" maw={360} title={text} data-testid={`secret-summary-${s.name}`}>
      {text}
    </Text>
  );
}
