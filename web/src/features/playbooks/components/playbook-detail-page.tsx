import { Anchor, Badge, Button, Code, Group, Modal, Paper, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPencil, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Playbook, Schedule } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { PaginationBar } from '@/components/layout/pagination-bar';
import { RunStatusBadge } from '@/components/runs/run-status-badge';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { useDeletePlaybook } from '../api/delete-playbook';
import { usePlaybook } from '../api/get-playbook';
import { usePlaybookRuns } from '../api/get-playbook-runs';
import { useSchedules } from '../api/get-schedules';
import { targetParts, valueText } from '../lib/playbook-form';
import { ScheduleFormModal } from './schedule-form-modal';
import { SchedulesTable } from './schedules-table';
import { VersionsTab } from './versions-tab';

/** `/playbooks/:id`: content and defaults, versions, runs and schedules. */
export function PlaybookDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const playbook = usePlaybook(id);
  const canManage = usePermission(PERMISSIONS.playbooksManage);
  const canLaunch = usePermission(PERMISSIONS.runsExecute);
  const remove = useDeletePlaybook();
  const [deleting, setDeleting] = useState(false);
  const [tab, setTab] = useState<string | null>('overview');
  if (playbook.isError) return <QueryError error={playbook.error} onRetry={() => void playbook.refetch()} />;
  if (!playbook.data) return <TableSkeleton rows={6} />;
  const p = playbook.data;

  return (
    <Stack>
      <Anchor component={Link} to="/playbooks" size="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> {t('playbooks.backToList')}
      </Anchor>
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={2} data-testid="playbook-title">
                {p.name}
              </Title>
              <Badge variant="light">v{p.current_version}</Badge>
              {p.last_run ? <RunStatusBadge status={p.last_run.status} /> : null}
            </Group>
            {p.description ? (
              <Text size="sm" c="dimmed">
                {p.description}
              </Text>
            ) : null}
            <Text size="xs" c="dimmed">
              {t('playbooks.updatedAt', { at: formatDateTime(p.updated_at) })}
            </Text>
          </Stack>
          <Group gap="xs">
            {canLaunch ? (
              <Button component={Link} to={`/playbooks/${p.id}/launch`} leftSection={<IconPlayerPlay size={16} />} data-testid="playbook-launch">
                {t('playbooks.launch')}
              </Button>
            ) : null}
            {canManage ? (
              <>
                <Button component={Link} to={`/playbooks/${p.id}/edit`} variant="default" leftSection={<IconPencil size={16} />} data-testid="playbook-edit">
                  {t('common.edit')}
                </Button>
                <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)} data-testid="playbook-delete">
                  {t('common.delete')}
                </Button>
              </>
            ) : null}
          </Group>
        </Group>
      </Paper>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview" data-testid="tab-overview">
            {t('playbooks.tabs.overview')}
          </Tabs.Tab>
          <Tabs.Tab value="versions" data-testid="tab-versions">
            {t('playbooks.tabs.versions')}
          </Tabs.Tab>
          <Tabs.Tab value="runs" data-testid="tab-runs">
            {t('playbooks.tabs.runs')}
          </Tabs.Tab>
          <Tabs.Tab value="schedules" data-testid="tab-schedules">
            {t('playbooks.tabs.schedules')}
          </Tabs.Tab>
        </Tabs.List>
        <Paper withBorder p="md" radius="md" mt="sm">
          <Tabs.Panel value="overview">
            <Overview playbook={p} />
          </Tabs.Panel>
          <Tabs.Panel value="versions">
            <VersionsTab playbook={p} canManage={canManage} />
          </Tabs.Panel>
          <Tabs.Panel value="runs">
            <RunsTab playbookId={p.id} fromGit={Boolean(p.source)} />
          </Tabs.Panel>
          <Tabs.Panel value="schedules">
            <SchedulesTab playbookId={p.id} canManage={canManage} />
          </Tabs.Panel>
        </Paper>
      </Tabs>
      <Modal opened={deleting} onClose={() => setDeleting(false)} title={t('playbooks.deleteTitle')} centered>
        <Stack>
          <Text size="sm">{t('playbooks.deleteConfirm', { name: p.name })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              data-testid="playbook-delete-confirm"
              onClick={() =>
                remove.mutate(p.id, {
                  onSuccess: () => {
                    notifySuccess(t('playbooks.deleted'));
                    void navigate('/playbooks');
                  },
                  onError: (err) => notifyError(err),
                })
              }
            >
              {t('common.delete')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function Overview({ playbook: p }: { playbook: Playbook }) {
  const { t } = useTranslation();
  const d = p.defaults;
  const targets = targetParts(d.targets);
  const o = d.options;
  const git = p.source;
  return (
    <Stack data-testid="playbook-overview">
      {git ? (
        <div>
          <Title order={5} mb={4}>
            {t('playbooks.source.title')}
          </Title>
          <Table withRowBorders={false} verticalSpacing={4} data-testid="playbook-source-view">
            <Table.Tbody>
              <Table.Tr>
                <Table.Td c="dimmed" w={200}>
                  {t('playbooks.source.url')}
                </Table.Td>
                <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="playbook-source-url">
                  {git.url}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">{t('playbooks.source.ref')}</Table.Td>
                <Table.Td ff="monospace" data-testid="playbook-source-ref">
                  {git.git_ref ?? 'main'}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">{t('playbooks.source.path')}</Table.Td>
                <Table.Td ff="monospace" data-testid="playbook-source-path">
                  {git.path}
                </Table.Td>
              </Table.Tr>
              {git.credential ? (
                <Table.Tr>
                  <Table.Td c="dimmed">{t('playbooks.source.credential')}</Table.Td>
                  <Table.Td ff="monospace">{git.credential}</Table.Td>
                </Table.Tr>
              ) : null}
              {git.username ? (
                <Table.Tr>
                  <Table.Td c="dimmed">{t('playbooks.source.username')}</Table.Td>
                  <Table.Td ff="monospace">{git.username}</Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </div>
      ) : (
        <div>
          <Title order={5} mb={4}>
            {t('playbooks.fields.content')}
          </Title>
          <Code block mah={480} style={{ overflow: 'auto' }} data-testid="playbook-content-view">
            {p.content}
          </Code>
        </div>
      )}
      {!git && p.files.length ? (
        <div>
          <Title order={5} mb={4}>
            {t('playbooks.files.title')}
          </Title>
          {p.files.map((f) => (
            <div key={f.path}>
              <Text size="sm" ff="monospace" fw={500}>
                {f.path}
              </Text>
              <Code block mah={200} style={{ overflow: 'auto' }}>
                {f.content}
              </Code>
            </div>
          ))}
        </div>
      ) : null}
      <Title order={5}>{t('playbooks.defaults')}</Title>
      <Table withRowBorders={false} verticalSpacing={4}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td c="dimmed" w={200}>
              {t('playbooks.steps.targets')}
            </Table.Td>
            <Table.Td>
              {[
                targets.hosts ? t('playbooks.review.hosts', { count: targets.hosts }) : null,
                targets.groups.length ? t('playbooks.review.groups', { names: targets.groups.join(', ') }) : null,
                targets.rule ? t('playbooks.review.rule', { rule: targets.rule }) : null,
              ]
                .filter(Boolean)
                .join('; ') || t('playbooks.review.noTargets')}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td c="dimmed">{t('playbooks.variables.title')}</Table.Td>
            <Table.Td ff="monospace">{d.variables.length ? d.variables.map((v) => `${v.name}=${v.type === 'secret' ? `secret:${valueText(v.value)}` : valueText(v.value)}`).join(', ') : '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td c="dimmed">{t('playbooks.survey.title')}</Table.Td>
            <Table.Td>{d.survey.length ? d.survey.map((q) => `${q.label} (${t(`playbooks.types.${q.type}`)}${q.required ? ', *' : ''})`).join('; ') : '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td c="dimmed">{t('playbooks.steps.options')}</Table.Td>
            <Table.Td ff="monospace">
              {[o.check ? '--check' : null, o.diff ? '--diff' : null, o.tags.length ? `--tags ${o.tags.join(',')}` : null, o.skip_tags.length ? `--skip-tags ${o.skip_tags.join(',')}` : null, o.limit ? `--limit ${o.limit}` : null, o.verbosity ? `-${'v'.repeat(o.verbosity)}` : null, `--forks ${o.forks}`]
                .filter(Boolean)
                .join(' ')}{' '}
              · {t('playbooks.review.timeout', { seconds: o.timeout_seconds })}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td c="dimmed">{t('playbooks.allowParallel')}</Table.Td>
            <Table.Td>{p.allow_parallel ? t('common.yes') : t('common.no')}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** The commit a run of a Git playbook checked out (recorded in its parameters), shortened. */
function commitOf(parameters: unknown): string | null {
  const commit = (parameters as { commit?: unknown } | null | undefined)?.commit;
  return typeof commit === 'string' && commit.length > 0 ? commit : null;
}

function RunsTab({ playbookId, fromGit }: { playbookId: string; fromGit: boolean }) {
  const { t } = useTranslation();
  const [paging, setPaging] = useState({ limit: 25, offset: 0 });
  const runs = usePlaybookRuns({ playbook: playbookId, ...paging });
  if (runs.isError) return <QueryError error={runs.error} onRetry={() => void runs.refetch()} />;
  if (!runs.data) return <TableSkeleton />;
  if (runs.data.items.length === 0) return <EmptyState title={t('playbooks.noRuns')} />;
  return (
    <>
      <Table verticalSpacing="xs" highlightOnHover data-testid="playbook-runs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('runs.columns.status')}</Table.Th>
            <Table.Th>{t('playbooks.versions.version')}</Table.Th>
            {fromGit ? <Table.Th>{t('playbooks.runs.commit')}</Table.Th> : null}
            <Table.Th>{t('playbooks.runs.trigger')}</Table.Th>
            <Table.Th>{t('runs.columns.who')}</Table.Th>
            <Table.Th>{t('runs.columns.started')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.data.items.map((r) => (
            <Table.Tr key={r.id} data-testid="playbook-run-row">
              <Table.Td>
                <Anchor component={Link} to={`/runs/${r.id}`}>
                  <RunStatusBadge status={r.status} />
                </Anchor>
              </Table.Td>
              <Table.Td>{r.playbook_version ? `v${r.playbook_version}` : '—'}</Table.Td>
              {fromGit ? (
                <Table.Td ff="monospace" title={commitOf(r.parameters) ?? undefined} data-testid="playbook-run-commit">
                  {commitOf(r.parameters)?.slice(0, 10) ?? '—'}
                </Table.Td>
              ) : null}
              <Table.Td>{t(`playbooks.triggers.${r.trigger}` as 'playbooks.triggers.user', { defaultValue: r.trigger })}</Table.Td>
              <Table.Td>{r.created_by_name}</Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/runs/${r.id}`} size="sm">
                  {formatDateTime(r.started_at ?? r.queued_at)}
                </Anchor>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <PaginationBar total={runs.data.total} limit={paging.limit} offset={paging.offset} onChange={setPaging} />
    </>
  );
}

function SchedulesTab({ playbookId, canManage }: { playbookId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const schedules = useSchedules({ playbook: playbookId });
  const [editing, setEditing] = useState<Schedule | 'new' | null>(null);
  return (
    <Stack>
      {canManage ? (
        <Group justify="flex-end">
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setEditing('new')} data-testid="playbook-schedule-new">
            {t('schedules.create')}
          </Button>
        </Group>
      ) : null}
      {schedules.isError ? (
        <QueryError error={schedules.error} onRetry={() => void schedules.refetch()} />
      ) : !schedules.data ? (
        <TableSkeleton />
      ) : schedules.data.length === 0 ? (
        <EmptyState title={t('schedules.empty')} />
      ) : (
        <SchedulesTable schedules={schedules.data} canManage={canManage} onEdit={setEditing} />
      )}
      {editing ? <ScheduleFormModal schedule={editing === 'new' ? undefined : editing} playbookId={playbookId} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}
