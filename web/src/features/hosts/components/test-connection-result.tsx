import { Alert, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TestConnectionResult } from '@/api/types';
import { formatLatency, STATUS_COLORS } from '@/lib/hosts/status';
import { StatusBadge } from '@/components/hosts/status-badge';

export function TestConnectionResultView({ result }: { result: TestConnectionResult }) {
  const { t } = useTranslation();
  const latency = formatLatency(result.latency_ms);
  return (
    <Alert color={STATUS_COLORS[result.status]} variant="light" data-testid="test-connection-result" data-status={result.status}>
      <Group gap="sm">
        <StatusBadge status={result.status} latencyMs={result.latency_ms} method={result.method} error={result.error} />
        <Text size="sm">{t('hosts.methodValue', { method: t(`hosts.methods.${result.method}`) })}</Text>
        {latency ? <Text size="sm">{t('hosts.latencyValue', { latency })}</Text> : null}
      </Group>
      {result.error ? (
        <Text size="sm" mt="xs" c="red">
          {result.error}
        </Text>
      ) : null}
    </Alert>
  );
}
