import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TerminalSnapshot } from '../lib/terminal-client';

const COLORS = { connecting: 'gray', connected: 'green', reconnecting: 'yellow', disconnected: 'orange', ended: 'red' } as const;

/** connecting / connected with latency / reconnecting / ended: reason. */
export function TerminalStatusPill({ snapshot }: { snapshot: TerminalSnapshot }) {
  const { t } = useTranslation();
  const s = snapshot.status;
  let label: string;
  switch (s.kind) {
    case 'connecting':
      label = t('terminal.status.connecting');
      break;
    case 'connected': {
      const rtt = snapshot.rttMs === null ? null : Math.round(snapshot.rttMs);
      const host = snapshot.hostMs === null ? null : Math.round(snapshot.hostMs);
      if (rtt === null) label = t('terminal.status.connected');
      else if (host === null) label = t('terminal.status.latencyNoHost', { rtt });
      else label = t('terminal.status.latency', { rtt, host });
      break;
    }
    case 'reconnecting':
      label = t('terminal.status.reconnecting', { attempt: s.attempt });
      break;
    case 'disconnected':
      label = t('terminal.status.disconnected');
      break;
    case 'ended':
      label = t('terminal.status.ended', { reason: s.reason });
      break;
  }
  return (
    <Badge color={COLORS[s.kind]} variant="light" tt="none" maw={360} title={s.kind === 'reconnecting' || s.kind === 'disconnected' ? (s.error ?? undefined) : undefined} data-testid="terminal-status" data-status={s.kind}>
      {label}
    </Badge>
  );
}
