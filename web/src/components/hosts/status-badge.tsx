import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CheckMethod, HostStatus } from '@/api/types';
import { formatDateTime } from '@/lib/format';
import { formatLatency, STATUS_COLORS } from '@/lib/hosts/status';

type Props = {
  status: HostStatus;
  lastCheckAt?: string | null;
  latencyMs?: number | null;
  method?: CheckMethod | null;
  error?: string | null;
  testId?: string;
};

/** online green / offline red / unknown gray; the tooltip tells when, how and how fast the last check was. */
export function StatusBadge({ status, lastCheckAt, latencyMs, method, error, testId }: Props) {
  const { t } = useTranslation();
  const latency = formatLatency(latencyMs);
  const label = (
    <Stack gap={2}>
      <Text size="xs">{t('hosts.lastCheck', { time: formatDateTime(lastCheckAt, t('common.never'), true) })}</Text>
      {latency ? <Text size="xs">{t('hosts.latencyValue', { latency })}</Text> : null}
      {method ? <Text size="xs">{t('hosts.methodValue', { method: t(`hosts.methods.${method}`) })}</Text> : null}
      {error ? (
        <Text size="xs" maw={320} style={{ whiteSpace: 'normal' }}>
          {t('hosts.errorValue', { error })}
        </Text>
      ) : null}
    </Stack>
  );
  return (
    <Tooltip label={label} withArrow multiline>
      <Badge color={STATUS_COLORS[status]} variant="light" data-testid={testId} data-status={status}>
        {t(`hosts.statuses.${status}`)}
      </Badge>
    </Tooltip>
  );
}
