import { Badge, Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '@/api/types';

const OUTCOME_COLORS: Record<AuditEvent['outcome'], string> = {
  success: 'green',
  failure: 'red',
  denied: 'orange',
};

export function OutcomeBadge({ outcome }: { outcome: AuditEvent['outcome'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={OUTCOME_COLORS[outcome] ?? 'gray'} variant="light">
      {t(`audit.outcomes.${outcome}`, { defaultValue: outcome })}
    </Badge>
  );
}

export function AuditActor({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const type = t(`audit.actorTypes.${event.actor_type}`, { defaultValue: event.actor_type });
  return (
    <Text size="sm">
      {event.actor_name ?? event.actor_id ?? type}
      {event.actor_name || event.actor_id ? (
        <Text span c="dimmed" size="xs">
          {' '}
          ({type})
        </Text>
      ) : null}
    </Text>
  );
}

export function AuditAction({ action }: { action: string }) {
  return <Code>{action}</Code>;
}

export function AuditTarget({ event }: { event: AuditEvent }) {
  if (!event.target_type) return <Text size="sm">—</Text>;
  return (
    <Text size="sm">
      <Text span c="dimmed" size="xs">
        {event.target_type}:{' '}
      </Text>
      {event.target_name ?? event.target_id ?? '—'}
    </Text>
  );
}
