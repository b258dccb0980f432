import { Alert, Anchor, Button, Code, Grid, Group, Loader, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowLeft, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Playbook } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { ApiError } from '@/lib/api-error';
import { errorMessage, notifyError } from '@/lib/notify';
import { usePlaybook } from '../api/get-playbook';
import { useLaunchPlaybook } from '../api/launch-playbook';
import { useLaunchPreview } from '../api/launch-preview';
import { launchDraftOf, toLaunchRequest, valueText, type LaunchDraft } from '../lib/playbook-form';
import type { TargetsSlot } from '../lib/slots';
import { OptionsEditor } from './options-editor';
import { SurveyForm, VariablesEditor } from './variables-editor';

/** `/playbooks/:id/launch`. */
export function LaunchPage({ targets }: { targets: TargetsSlot }) {
  const { id = '' } = useParams();
  const playbook = usePlaybook(id);
  if (playbook.isError) return <QueryError error={playbook.error} onRetry={() => void playbook.refetch()} />;
  if (!playbook.data) return <TableSkeleton rows={6} />;
  return <LaunchForm key={playbook.data.id} playbook={playbook.data} targets={targets} />;
}

/** Targets, survey answers, variable overrides and options, with a live preview of exactly what would run. */
export function LaunchForm({ playbook, targets: TargetsEditor }: { playbook: Playbook; targets: TargetsSlot }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const launch = useLaunchPlaybook();
  const [draft, setDraft] = useState<LaunchDraft>(() => launchDraftOf(playbook));
  const set = (patch: Partial<LaunchDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const body = JSON.stringify(toLaunchRequest(playbook, draft));
  const [debounced] = useDebouncedValue(body, 400);
  const preview = useLaunchPreview(playbook.id, debounced);
  const pending = debounced !== body || preview.isFetching;
  const previewErrors = preview.error instanceof ApiError ? preview.error.fieldErrors : {};
  const [launchErrors, setLaunchErrors] = useState<Record<string, string>>({});
  const errors = { ...previewErrors, ...launchErrors };
  const p = preview.data;

  const submit = () => {
    setLaunchErrors({});
    launch.mutate(
      { id: playbook.id, body: toLaunchRequest(playbook, draft) },
      {
        onSuccess: (run) => void navigate(`/runs/${run.id}`),
        onError: (err) => {
          if (err instanceof ApiError && Object.keys(err.fieldErrors).length) setLaunchErrors(err.fieldErrors);
          notifyError(err);
        },
      },
    );
  };

  return (
    <Stack>
      <Anchor component={Link} to={`/playbooks/${playbook.id}`} size="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> {playbook.name}
      </Anchor>
      <Title order={2}>{t('playbooks.launchTitle', { name: playbook.name })}</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Paper withBorder p="md" radius="md">
              <Switch
                size="md"
                label={t('playbooks.launchForm.dryRun')}
                description={t('playbooks.launchForm.dryRunHint')}
                checked={draft.dryRun}
                onChange={(e) => set({ dryRun: e.currentTarget.checked })}
                data-testid="launch-dry-run"
              />
            </Paper>
            <Paper withBorder p="md" radius="md">
              <Title order={4} mb="sm">
                {t('playbooks.steps.targets')}
              </Title>
              <TargetsEditor value={draft.targets} onChange={(targets) => set({ targets })} error={errors['targets.rule'] ?? errors.targets ?? errors.rule ?? null} />
            </Paper>
            {playbook.defaults.survey.length ? (
              <Paper withBorder p="md" radius="md">
                <Title order={4} mb="sm">
                  {t('playbooks.survey.title')}
                </Title>
                <SurveyForm questions={playbook.defaults.survey} answers={draft.survey} onChange={(survey) => set({ survey })} errors={errors} />
              </Paper>
            ) : null}
            {draft.variables.length ? (
              <Paper withBorder p="md" radius="md">
                <Title order={4} mb="sm">
                  {t('playbooks.launchForm.overrides')}
                </Title>
                <VariablesEditor rows={draft.variables} onChange={(variables) => set({ variables })} fixedNames />
              </Paper>
            ) : null}
            <Paper withBorder p="md" radius="md">
              <Title order={4} mb="sm">
                {t('playbooks.steps.options')}
              </Title>
              <OptionsEditor value={draft.options} onChange={(options) => set({ options })} errors={errors} hideCheck={draft.dryRun} />
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="md" radius="md" style={{ position: 'sticky', top: 72 }} data-testid="launch-preview">
            <Group justify="space-between" mb="sm">
              <Title order={4}>{t('playbooks.launchForm.summary')}</Title>
              {pending ? <Loader size={16} /> : null}
            </Group>
            {preview.isError && !pending ? (
              <Alert color="red" icon={<IconAlertTriangle size={16} />} data-testid="launch-preview-error">
                {errorMessage(preview.error)}
                {Object.entries(previewErrors).map(([f, m]) => (
                  <Text key={f} size="sm">
                    {f}: {m}
                  </Text>
                ))}
              </Alert>
            ) : null}
            {p ? (
              <Stack gap="xs" opacity={pending ? 0.6 : 1}>
                <Group gap="xs">
                  <Text size="sm" c="dimmed">
                    {t('playbooks.launchForm.version', { version: p.version })}
                  </Text>
                  {p.dry_run ? (
                    <Text size="sm" c="blue" fw={600} data-testid="launch-preview-dry">
                      {t('playbooks.launchForm.dryRunOn')}
                    </Text>
                  ) : null}
                </Group>
                <Code block data-testid="launch-preview-command" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {p.command}
                </Code>
                <Text size="sm" fw={500} data-testid="launch-preview-hosts" data-count={p.total_hosts}>
                  {t('runs.targets.count', { count: p.total_hosts })}
                </Text>
                {p.hosts.length ? (
                  <Text size="xs" c="dimmed" ff="monospace">
                    {p.hosts
                      .slice(0, 12)
                      .map((h) => h.name)
                      .join(', ')}
                    {p.total_hosts > 12 ? ` ${t('runs.targets.more', { count: p.total_hosts - 12 })}` : ''}
                  </Text>
                ) : null}
                {p.without_credential > 0 ? (
                  <Alert color="yellow" icon={<IconAlertTriangle size={16} />} p="xs" data-testid="launch-warning-credential">
                    {t('runs.targets.withoutCredential', { count: p.without_credential })}
                  </Alert>
                ) : null}
                {p.without_host_key > 0 ? (
                  <Alert color="yellow" icon={<IconAlertTriangle size={16} />} p="xs" data-testid="launch-warning-hostkey">
                    {t('runs.targets.withoutHostKey', { count: p.without_host_key })}
                  </Alert>
                ) : null}
                {Object.keys(p.variables).length ? (
                  <Table withRowBorders={false} verticalSpacing={2} data-testid="launch-preview-variables">
                    <Table.Tbody>
                      {Object.entries(p.variables as Record<string, unknown>).map(([k, v]) => (
                        <Table.Tr key={k}>
                          <Table.Td ff="monospace" fz="xs">
                            {k}
                          </Table.Td>
                          <Table.Td ff="monospace" fz="xs">
                            {valueText(v)}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                ) : null}
              </Stack>
            ) : !preview.isError ? (
              <Loader size="sm" />
            ) : null}
            <Button
              fullWidth
              mt="md"
              size="md"
              color={draft.dryRun ? 'blue' : undefined}
              leftSection={<IconPlayerPlay size={18} />}
              onClick={submit}
              loading={launch.isPending}
              disabled={p?.total_hosts === 0}
              data-testid="launch-submit"
            >
              {draft.dryRun ? t('playbooks.launchForm.launchDry') : t('playbooks.launchForm.launch')}
            </Button>
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
