import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { statusColor } from '@/lib/run-status';

/** A run's or a host's status. */
export function RunStatusBadge({ status, testId = 'run-status', size }: { status: string; testId?: string; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor(status)} variant="light" size={size} data-testid={testId} data-status={status}>
      {t(`runs.status.${status}` as 'runs.status.queued', { defaultValue: status })}
    </Badge>
  );
}
