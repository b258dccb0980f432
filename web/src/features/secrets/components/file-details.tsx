import { Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { formatBytes } from '@/lib/format';
import { CopyIconButton } from './copy-icon-button';

/** A file secret's metadata: name, size and SHA-256 of the content. */
export function FileDetails({ secret }: { secret: Secret }) {
  const { t } = useTranslation();
  return (
    <Table variant="vertical" layout="fixed" withTableBorder data-testid="file-details">
      <Table.Tbody>
        <Table.Tr>
          <Table.Th w={140}>{t('secrets.fields.fileName')}</Table.Th>
          <Table.Td style={{ wordBreak: 'break-all' }} data-testid="file-name">
            {secret.file_name ?? t('common.none')}
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('secrets.fields.size')}</Table.Th>
          <Table.Td data-testid="file-size">{secret.size == null ? t('common.none') : formatBytes(secret.size)}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('secrets.fields.sha256')}</Table.Th>
          <Table.Td>
            {secret.sha256 ? (
              <Group wrap="nowrap" gap="xs">
                <Text size="xs" ff="monospace" style={{ flex: 1, wordBreak: 'break-all' }} data-testid="file-sha256">
                  {secret.sha256}
                </Text>
                <CopyIconButton value={secret.sha256} />
              </Group>
            ) : (
              t('common.none')
            )}
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}
