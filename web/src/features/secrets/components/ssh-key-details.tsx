import { Code, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { CopyIconButton } from './copy-icon-button';

/** An SSH key's public metadata: algorithm, fingerprint and the public key to install on hosts. */
export function SshKeyDetails({ secret }: { secret: Secret }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="ssh-key-details">
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={140}>{t('secrets.fields.algorithm')}</Table.Th>
            <Table.Td data-testid="ssh-key-algorithm">{secret.algorithm ?? t('common.none')}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('secrets.fields.fingerprint')}</Table.Th>
            <Table.Td>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="ssh-key-fingerprint">
                {secret.fingerprint ?? t('common.none')}
              </Text>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {secret.public_key ? (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('secrets.fields.publicKey')}
          </Text>
          <Group wrap="nowrap" align="flex-start" gap="xs">
            <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="ssh-key-public">
              {secret.public_key}
            </Code>
            <CopyIconButton value={secret.public_key} testId="ssh-key-public-copy" />
          </Group>
        </Stack>
      ) : null}
    </Stack>
  );
}
