import { Skeleton, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { secretQueryOptions } from '../api/get-secret';

/** An SSH credential's metadata: the remote user and the name of the key secret it logs in with. */
export function CredentialDetails({ secret }: { secret: Secret }) {
  const { t } = useTranslation();
  const keyId = secret.key_secret_id ?? '';
  const key = useQuery({ ...secretQueryOptions(keyId), enabled: Boolean(keyId) });
  return (
    <Table variant="vertical" layout="fixed" withTableBorder data-testid="credential-details">
      <Table.Tbody>
        <Table.Tr>
          <Table.Th w={140}>{t('secrets.fields.username')}</Table.Th>
          <Table.Td>
            <Text size="sm" ff="monospace" data-testid="credential-username">
              {secret.username ?? t('common.none')}
            </Text>
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>{t('secrets.fields.keySecret')}</Table.Th>
          <Table.Td data-testid="credential-key">
            {!keyId ? (
              t('common.none')
            ) : key.data ? (
              <Text size="sm" ff="monospace">
                {key.data.name}
              </Text>
            ) : key.isError ? (
              <Text size="sm" c="red">
                {t('secrets.keySecretMissing')}
              </Text>
            ) : (
              <Skeleton h={16} w={160} />
            )}
          </Table.Td>
        </Table.Tr>
      </Table.Tbody>
    </Table>
  );
}
