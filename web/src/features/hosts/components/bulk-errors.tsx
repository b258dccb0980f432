import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { BulkUpdateResult } from '@/api/types';

/** Why a bulk update was refused: nothing was changed, these hosts had problems. */
export function BulkErrors({ result }: { result: BulkUpdateResult }) {
  const { t } = useTranslation();
  const failed = result.items.filter((i) => i.error);
  return (
    <Alert color="red" icon={<IconAlertTriangle />} title={t('hosts.bulk.notApplied')} data-testid="bulk-errors">
      <List size="sm">
        {failed.map((i) => (
          <List.Item key={i.id}>
            <Text span fw={500} size="sm" ff="monospace">
              {i.name ?? i.id}
            </Text>
            : {i.error}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
