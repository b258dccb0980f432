import { Anchor, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPlayerStop, IconRepeat, IconRotateClockwise } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { RunDetail } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { useCancelRun } from '../api/cancel-run';
import { useRun } from '../api/get-run';
import { useRerunRun } from '../api/rerun-run';
import { useRunStream } from '../api/run-events';
import { MAX_KEPT_LINES } from '../lib/output';
import { elapsedMs, formatDuration, hasFailures, isFinished, summarize } from '../lib/status';
import { useNow } from '../lib/use-now';
import { RunHostsTable } from './run-hosts-table';
import { PlaybookLog } from './playbook-log';
import { PlaybookHostsTable, RunArtifacts, RunParameters, TaskTimeline } from './playbook-sections';
import { RunOutput } from './run-output';
import { RunStatusBadge, SummaryBadges } from './run-status-badge';

/** `/runs/:id`: a run's status, hosts and live output. */
export function RunPage() {
  const { id = '' } = useParams();
  return <RunView key={id} id={id} />;
}

function RunView({ id }: { id: string }) {
  const { t } = useTranslation();
  const run = useRun(id);
  if (run.isError) return <QueryError error={run.error} onRetry={() => void run.refetch()} />;
  if (!run.data) return <TableSkeleton rows={6} />;
  return (
    <>
      <Anchor component={Link} to="/runs" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> {t('runs.backToList')}
      </Anchor>
      <Live detail={run.data} />
    </>
  );
}

function Live({ detail }: { detail: RunDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canExecute = usePermission(detail.kind.startsWith('key_') ? PERMISSIONS.keysDeploy : PERMISSIONS.runsExecute);
  const isPlaybook = detail.kind === 'playbook';
  // A playbook's log is one long run-level stream: keep far more of it (the viewer is virtualised).
  const live = useRunStream(detail.id, detail, isPlaybook ? MAX_KEPT_LINES * 10 : undefined);
  const cancel = useCancelRun();
  const rerun = useRerunRun();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<'merged' | 'host'>('merged');
  const [follow, setFollow] = useState(true);

  // The final event wins over the detail read at load time; the detail is re-read after it.
  const run = live.final && !isFinished(detail.status) ? { ...detail, ...live.final } : detail;
  const finished = isFinished(run.status);
  const now = useNow(!finished);
  const summary = live.hosts.length > 0 ? summarize(live.hosts) : run.summary;
  const names = new Map(live.hosts.map((h) => [h.host_id, h.host_name]));
  const elapsed = finished && run.duration_ms != null ? run.duration_ms : elapsedMs(run.started_at, run.finished_at, now);
  const isKey = run.kind.startsWith('key_');

  const startRerun = (failedOnly: boolean) =>
    rerun.mutate(
      { id: run.id, failedOnly },
      {
        onSuccess: (r) => {
          notifySuccess(t('runs.detail.rerunStarted'));
          void navigate(`/runs/${r.id}`);
        },
        onError: (err) => notifyError(err),
      },
    );

  return (
    <Stack>
      <Paper withBorder p="md" radius="md" data-testid="run-header">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
            <Group gap="sm">
              <RunStatusBadge status={run.status} />
              <Text size="sm" c="dimmed">
                {t(`runs.kinds.${run.kind}` as 'runs.kinds.command', { defaultValue: run.kind })}
              </Text>
            </Group>
            <Title order={3} ff="monospace" style={{ wordBreak: 'break-word' }} data-testid="run-title">
              {run.title}
            </Title>
            <Text size="sm" c="dimmed">
              {t('runs.detail.by', { name: run.created_by_name })} ·{' '}
              {run.started_at ? t('runs.detail.started', { at: formatDateTime(run.started_at, '—', true) }) : t('runs.detail.queued', { at: formatDateTime(run.queued_at, '—', true) })} ·{' '}
              {t('runs.detail.elapsed')}: <span data-testid="run-elapsed">{formatDuration(elapsed)}</span>
            </Text>
            {run.rerun_of ? (
              <Anchor component={Link} to={`/runs/${run.rerun_of}`} size="xs">
                {t('runs.detail.rerunOf')}
              </Anchor>
            ) : null}
            <SummaryBadges summary={summary} />
            {run.error ? (
              <Text size="sm" c="red">
                {t('runs.detail.error', { error: run.error })}
              </Text>
            ) : null}
          </Stack>
          {canExecute ? (
            <Group gap="xs">
              {!finished ? (
                <Button color="red" variant="light" leftSection={<IconPlayerStop size={16} />} onClick={() => setConfirmCancel(true)} loading={cancel.isPending} data-testid="run-cancel">
                  {t('runs.detail.cancel')}
                </Button>
              ) : (
                <>
                  <Button variant="default" leftSection={<IconRepeat size={16} />} onClick={() => startRerun(false)} loading={rerun.isPending && !rerun.variables.failedOnly} data-testid="run-rerun">
                    {t('runs.detail.rerun')}
                  </Button>
                  {hasFailures(summary) ? (
                    <Button
                      variant="default"
                      leftSection={<IconRotateClockwise size={16} />}
                      onClick={() => startRerun(true)}
                      loading={rerun.isPending && rerun.variables.failedOnly}
                      data-testid="run-rerun-failed"
                    >
                      {t('runs.detail.rerunFailed')}
                    </Button>
                  ) : null}
                </>
              )}
            </Group>
          ) : null}
        </Group>
      </Paper>
      {isPlaybook ? (
        <>
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="sm">
              {t('runs.playbook.statsTitle')}
            </Title>
            <PlaybookHostsTable hosts={live.hosts} />
          </Paper>
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="sm">
              {t('runs.playbook.logTitle')}
            </Title>
            <PlaybookLog runId={run.id} output={live.output} version={live.outputVersion} />
          </Paper>
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="sm">
              {t('runs.playbook.tasksTitle')}
            </Title>
            <TaskTimeline runId={run.id} finished={finished} />
          </Paper>
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="sm">
              {t('runs.playbook.artifactsTitle')}
            </Title>
            <RunArtifacts runId={run.id} finished={finished} />
          </Paper>
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="sm">
              {t('runs.playbook.parametersTitle')}
            </Title>
            <RunParameters run={run} />
          </Paper>
        </>
      ) : (
        <>
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="sm">
              {t('runs.detail.hostsTitle')}
            </Title>
            <RunHostsTable
              hosts={live.hosts}
              selected={selected}
              onSelect={(hid) => {
                setSelected(hid);
                setView('host');
              }}
              showResult={isKey}
              now={now}
            />
          </Paper>
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="sm">
              {t('runs.detail.outputTitle')}
            </Title>
            <RunOutput
              output={live.output}
              version={live.outputVersion}
              names={names}
              view={view}
              onView={setView}
              hostId={selected ?? (live.hosts.length === 1 ? (live.hosts[0]?.host_id ?? null) : null)}
              follow={follow}
              onFollow={setFollow}
            />
          </Paper>
        </>
      )}
      <Modal opened={confirmCancel} onClose={() => setConfirmCancel(false)} title={t('runs.detail.cancelTitle')} centered>
        <Stack>
          <Text size="sm">{t('runs.detail.cancelConfirm')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmCancel(false)}>
              {t('runs.detail.cancelKeep')}
            </Button>
            <Button
              color="red"
              data-testid="run-cancel-confirm"
              loading={cancel.isPending}
              onClick={() =>
                cancel.mutate(run.id, {
                  onSuccess: () => setConfirmCancel(false),
                  onError: (err) => notifyError(err),
                })
              }
            >
              {t('runs.detail.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
