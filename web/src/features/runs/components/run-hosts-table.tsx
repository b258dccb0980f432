import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RunHost } from '@/api/types';
import { elapsedMs, formatDuration } from '../lib/status';
import { RunStatusBadge } from './run-status-badge';

/** The host (name, address) and status cells that every table of a run's hosts starts with. */
export function HostCells({ host }: { host: RunHost }) {
  return (
    <>
      <Table.Td>
        <Text size="sm" fw={500}>
          {host.host_name}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {host.address}:{host.port}
        </Text>
      </Table.Td>
      <Table.Td>
        <RunStatusBadge status={host.status} testId="run-host-status" />
      </Table.Td>
    </>
  );
}

/** One row per host; clicking a row selects the host for the per-host output. */
export function RunHostsTable({ hosts, selected, onSelect, showResult, now }: { hosts: RunHost[]; selected: string | null; onSelect: (id: string) => void; showResult: boolean; now: number }) {
  const { t } = useTranslation();
  if (hosts.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('runs.detail.noHosts')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover verticalSpacing={6} data-testid="run-hosts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('runs.columns.host')}</Table.Th>
            <Table.Th>{t('runs.columns.status')}</Table.Th>
            <Table.Th>{t('runs.columns.exitCode')}</Table.Th>
            <Table.Th>{t('runs.columns.duration')}</Table.Th>
            {showResult ? <Table.Th>{t('runs.columns.result')}</Table.Th> : null}
            <Table.Th>{t('runs.columns.error')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hosts.map((h) => (
            <Table.Tr
              key={h.host_id}
              onClick={() => onSelect(h.host_id)}
              style={{ cursor: 'pointer' }}
              bg={selected === h.host_id ? 'var(--mantine-primary-color-light)' : undefined}
              aria-selected={selected === h.host_id}
              data-testid={`run-host-${h.host_name}`}
            >
              <HostCells host={h} />
              <Table.Td ff="monospace" data-testid="run-host-exit">
                {h.exit_code ?? '—'}
              </Table.Td>
              <Table.Td>{formatDuration(elapsedMs(h.started_at, h.finished_at, now))}</Table.Td>
              {showResult ? (
                <Table.Td data-testid="run-host-result">{h.result ? t(`runs.results.${h.result}` as 'runs.results.added', { defaultValue: h.result }) : '—'}</Table.Td>
              ) : null}
              <Table.Td>
                <Text size="xs" c="red" lineClamp={2}>
                  {h.error ?? ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
