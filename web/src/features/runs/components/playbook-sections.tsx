import { Anchor, Badge, Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Run, RunHost } from '@/api/types';
import { formatBytes, formatDateTime } from '@/lib/format';
import { notifyError } from '@/lib/notify';
import { useDownloadRunFile } from '../api/download-run-file';
import { useRunArtifacts } from '../api/get-run-artifacts';
import { useRunTasks } from '../api/get-run-tasks';
import { formatDuration } from '../lib/status';
import { buildTimeline, RESULT_COLORS } from '../lib/tasks';
import { HostCells } from './run-hosts-table';

const STATS = ['ok', 'changed', 'failed', 'unreachable', 'skipped'] as const;
const STAT_COLORS: Record<(typeof STATS)[number], string | undefined> = { ok: 'green', changed: 'yellow', failed: 'red', unreachable: 'orange', skipped: undefined };

/** Per host: state and Ansible's counts (ok, changed, failed, unreachable, skipped). */
export function PlaybookHostsTable({ hosts }: { hosts: RunHost[] }) {
  const { t } = useTranslation();
  if (hosts.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('runs.detail.noHosts')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing={6} data-testid="playbook-hosts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('runs.columns.host')}</Table.Th>
            <Table.Th>{t('runs.columns.status')}</Table.Th>
            {STATS.map((s) => (
              <Table.Th key={s} ta="right">
                {t(`runs.playbook.stats.${s}`)}
              </Table.Th>
            ))}
            <Table.Th>{t('runs.columns.error')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hosts.map((h) => {
            const stats = (h.stats ?? {}) as Record<string, number | undefined>;
            return (
              <Table.Tr key={h.host_id} data-testid={`playbook-host-${h.host_name}`}>
                <HostCells host={h} />
                {STATS.map((s) => {
                  const n = stats[s];
                  return (
                    <Table.Td key={s} ta="right" ff="monospace" c={n ? STAT_COLORS[s] : 'dimmed'} fw={n ? 600 : undefined} data-testid={`stat-${s}`}>
                      {h.stats ? (n ?? 0) : '—'}
                    </Table.Td>
                  );
                })}
                <Table.Td>
                  <Text size="xs" c="red" lineClamp={2}>
                    {h.error ?? ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The tasks in the order they ran, each host's result as a coloured badge, and the task's duration. */
export function TaskTimeline({ runId, finished }: { runId: string; finished: boolean }) {
  const { t } = useTranslation();
  const tasks = useRunTasks(runId, finished);
  const rows = buildTimeline(tasks.data ?? []);
  if (rows.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="tasks-empty">
        {t('runs.playbook.noTasks')}
      </Text>
    );
  return (
    <Stack gap={4} data-testid="task-timeline">
      {rows.map((r, i) => {
        const play = i === 0 || rows[i - 1]?.play !== r.play ? r.play : null;
        return (
          <div key={r.key}>
            {play ? (
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt="xs">
                {play}
              </Text>
            ) : null}
            <Group justify="space-between" wrap="nowrap" gap="xs" data-testid="task-row">
              <Group gap={6} wrap="wrap" style={{ minWidth: 0 }}>
                <Text size="sm" fw={500}>
                  {r.task}
                </Text>
                {r.results.map((res, i) => (
                  <Tooltip key={i} label={res.msg ?? t(`runs.playbook.stats.${res.status}`)} disabled={!res.msg}>
                    <Badge size="sm" variant="light" color={RESULT_COLORS[res.status]} tt="none" data-testid="task-result" data-status={res.status}>
                      {res.host}
                    </Badge>
                  </Tooltip>
                ))}
              </Group>
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {formatDuration(r.durationMs)}
              </Text>
            </Group>
          </div>
        );
      })}
    </Stack>
  );
}

/** Files the run left, with download links. */
export function RunArtifacts({ runId, finished }: { runId: string; finished: boolean }) {
  const { t } = useTranslation();
  const artifacts = useRunArtifacts(runId, finished);
  const download = useDownloadRunFile();
  if (!artifacts.data?.length)
    return (
      <Text size="sm" c="dimmed" data-testid="artifacts-empty">
        {t('runs.playbook.noArtifacts')}
      </Text>
    );
  return (
    <Table verticalSpacing={4} data-testid="run-artifacts">
      <Table.Tbody>
        {artifacts.data.map((a) => (
          <Table.Tr key={a.name}>
            <Table.Td>
              <Anchor
                component="button"
                type="button"
                size="sm"
                ff="monospace"
                onClick={() => download.mutate({ id: runId, artifact: a.name }, { onError: (err) => notifyError(err) })}
                style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
                data-testid="artifact-download"
              >
                <IconDownload size={14} /> {a.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{formatBytes(a.size)}</Table.Td>
            <Table.Td>{formatDateTime(a.created_at)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** What ran: the playbook and version, the Git commit it came from, command line, variables and options (never secrets). */
export function RunParameters({ run }: { run: Run }) {
  const { t } = useTranslation();
  const params = run.parameters as Record<string, unknown>;
  const { command, variables, options, commit, ...rest } = params;
  const row = (label: string, value: ReactNode) => (
    <Table.Tr>
      <Table.Td c="dimmed" w={160} style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Td>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
  return (
    <Table withRowBorders={false} verticalSpacing={4} data-testid="run-parameters">
      <Table.Tbody>
        {run.playbook_id
          ? row(
              t('runs.playbook.playbook'),
              <Anchor component={Link} to={`/playbooks/${run.playbook_id}`} size="sm">
                {/* The playbook's name: the run's title also says "(dry run)". */}
                {typeof params.playbook === 'string' ? params.playbook : run.title}
                {run.playbook_version ? ` (v${run.playbook_version})` : ''}
              </Anchor>,
            )
          : null}
        {typeof commit === 'string' && commit
          ? row(
              t('runs.playbook.commit'),
              <Code title={commit} data-testid="run-commit">
                {commit}
              </Code>,
            )
          : null}
        {run.exit_code != null ? row(t('runs.playbook.exitCode'), <Code>{run.exit_code}</Code>) : null}
        {typeof command === 'string' ? row(t('runs.playbook.command'), <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{command}</Code>) : null}
        {variables && typeof variables === 'object' && Object.keys(variables).length
          ? row(
              t('runs.playbook.variables'),
              <Code block>{Object.entries(variables as Record<string, unknown>).map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n')}</Code>,
            )
          : null}
        {options ? row(t('runs.playbook.options'), <Code block>{JSON.stringify(options, null, 2)}</Code>) : null}
        {Object.keys(rest).length ? row('', <Code block>{JSON.stringify(rest, null, 2)}</Code>) : null}
      </Table.Tbody>
    </Table>
  );
}
