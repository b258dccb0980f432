import { Badge, Group } from '@mantine/core';
import { RunStatusBadge } from '@/components/runs/run-status-badge';
import { useTranslation } from 'react-i18next';
import type { RunSummary } from '@/api/types';
import { statusColor, SUMMARY_ORDER } from '../lib/status';
export { RunStatusBadge };

/** Host counts by state as coloured badges; zero counts are left out. */
export function SummaryBadges({ summary, size = 'sm' }: { summary: RunSummary; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap" data-testid="run-summary">
      {SUMMARY_ORDER.filter((k) => summary[k] > 0).map((k) => (
        <Badge key={k} size={size} color={statusColor(k)} variant={k === 'pending' ? 'outline' : 'filled'} data-testid={`summary-${k}`}>
          {t(`runs.status.${k}`)}: {summary[k]}
        </Badge>
      ))}
    </Group>
  );
}
