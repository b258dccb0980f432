import { ActionIcon, Alert, Anchor, Button, Code, Group, Input, Loader, Paper, SegmentedControl, Select, Stack, Stepper, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowLeft, IconBrandGit, IconCheck, IconFilePlus, IconTrash, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Playbook } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { ApiError } from '@/lib/api-error';
import { usePermission } from '@/lib/auth/use-auth';
import { errorMessage, notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { useGitCredentials } from '../api/get-git-credentials';
import { usePlaybook } from '../api/get-playbook';
import { useSavePlaybook } from '../api/save-playbook';
import { useSaveSchedule } from '../api/save-schedule';
import { useDraftPreview } from '../api/schedule-preview';
import { useValidatePlaybook } from '../api/validate-playbook';
import {
  EMPTY_PLAYBOOK,
  fromPlaybook,
  SOURCE_KINDS,
  stepOfField,
  targetParts,
  toGitSource,
  toPlaybookInput,
  validateStep,
  wizardSteps,
  type GitDraft,
  type PlaybookDraft,
  type SourceKind,
  type Step,
} from '../lib/playbook-form';
import { emptySchedule, toScheduleInput, validateTiming, type ScheduleDraft } from '../lib/schedule-form';
import type { TargetsSlot } from '../lib/slots';
import { OptionsEditor } from './options-editor';
import { ScheduleFields } from './schedule-fields';
import { SurveyEditor, VariablesEditor } from './variables-editor';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } };

/** `/playbooks/new` and `/playbooks/:id/edit`: the wizard, with the playbook loaded when editing. */
export function PlaybookWizardPage({ targets }: { targets: TargetsSlot }) {
  const { id } = useParams();
  const playbook = usePlaybook(id ?? '', Boolean(id));
  if (!id) return <PlaybookWizard targets={targets} />;
  if (playbook.isError) return <QueryError error={playbook.error} onRetry={() => void playbook.refetch()} />;
  if (!playbook.data) return <TableSkeleton rows={6} />;
  return <PlaybookWizard key={playbook.data.id} targets={targets} playbook={playbook.data} />;
}

/** Content → targets → variables & survey → options → schedule (optional, creating only) → review, then save. */
export function PlaybookWizard({ targets: TargetsEditor, playbook }: { targets: TargetsSlot; playbook?: Playbook }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const save = useSavePlaybook();
  const saveSchedule = useSaveSchedule();
  const [draft, setDraft] = useState<PlaybookDraft>(() => (playbook ? fromPlaybook(playbook) : EMPTY_PLAYBOOK));
  // The optional schedule created with a new playbook (its playbook id is filled in once that exists).
  const [scheduleOn, setScheduleOn] = useState(false);
  const [schedule, setSchedule] = useState<ScheduleDraft>(() => emptySchedule(''));
  const [active, setActive] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<PlaybookDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const setSched = (patch: Partial<ScheduleDraft>) => setSchedule((d) => ({ ...d, ...patch }));
  const STEPS = wizardSteps(Boolean(playbook));
  const step: Step = STEPS[active] ?? 'content';
  const errorSteps = new Set(Object.keys(errors).map(stepOfField));
  const scheduleName = schedule.name.trim() || t('playbooks.scheduleStep.defaultName', { name: draft.name.trim() });
  const validate = (s: Step): Record<string, string> => {
    if (s !== 'schedule') return validateStep(t, s, draft);
    if (!scheduleOn) return {};
    return Object.fromEntries(Object.entries(validateTiming(t, schedule)).map(([k, v]) => [`schedule.${k}`, v]));
  };

  const goTo = (next: number) => {
    // Moving forward checks the current step first; going back never blocks.
    if (next > active) {
      for (let i = active; i < next; i++) {
        const s = STEPS[i] ?? 'content';
        const found = validate(s);
        if (Object.keys(found).length) {
          setErrors(found);
          setActive(i);
          return;
        }
      }
    }
    setErrors({});
    setActive(next);
  };

  const submit = () => {
    for (const s of STEPS) {
      const found = validate(s);
      if (Object.keys(found).length) {
        setErrors(found);
        setActive(STEPS.indexOf(s));
        return;
      }
    }
    save.mutate(
      { id: playbook?.id, body: toPlaybookInput(draft) },
      {
        onSuccess: (p) => {
          notifySuccess(playbook ? t('playbooks.saved') : t('playbooks.created'));
          if (playbook || !scheduleOn) {
            void navigate(`/playbooks/${p.id}`);
            return;
          }
          // The playbook exists now; a failed schedule is reported but does not undo it.
          saveSchedule.mutate(
            { body: toScheduleInput({ ...schedule, playbookId: p.id, name: scheduleName }) },
            {
              onSuccess: () => notifySuccess(t('schedules.created')),
              onError: (err) => notifyError(err, t('playbooks.scheduleStep.failed')),
              onSettled: () => void navigate(`/playbooks/${p.id}`),
            },
          );
        },
        onError: (err) => {
          if (err instanceof ApiError && (err.status === 422 || err.status === 409)) {
            const fields = err.status === 409 ? { name: err.message } : err.fieldErrors;
            if (Object.keys(fields).length) {
              setErrors(fields);
              const first = STEPS.findIndex((s) => Object.keys(fields).some((f) => stepOfField(f) === s));
              setActive(first < 0 ? 0 : first);
              return;
            }
          }
          notifyError(err);
        },
      },
    );
  };

  return (
    <Stack>
      <Anchor component={Link} to={playbook ? `/playbooks/${playbook.id}` : '/playbooks'} size="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> {playbook ? playbook.name : t('playbooks.backToList')}
      </Anchor>
      <Title order={2}>{playbook ? t('playbooks.editTitle', { name: playbook.name }) : t('playbooks.createTitle')}</Title>
      <Paper withBorder p="md" radius="md">
        <Stepper active={active} onStepClick={goTo} size="sm" data-testid="playbook-wizard">
          {STEPS.map((s) => (
            <Stepper.Step key={s} label={t(`playbooks.steps.${s}`)} color={errorSteps.has(s) ? 'red' : undefined} data-testid={`wizard-step-${s}`} />
          ))}
        </Stepper>
        <div style={{ marginTop: 'var(--mantine-spacing-lg)' }} data-testid={`wizard-panel-${step}`}>
          {step === 'content' ? <ContentStep draft={draft} set={set} errors={errors} /> : null}
          {step === 'targets' ? (
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {t('playbooks.targetsHint')}
              </Text>
              <TargetsEditor
                value={draft.targets}
                onChange={(targets) => set({ targets })}
                error={Object.entries(errors).find(([f]) => stepOfField(f) === 'targets')?.[1] ?? null}
              />
            </Stack>
          ) : null}
          {step === 'variables' ? (
            <Stack>
              <div>
                <Title order={5}>{t('playbooks.variables.title')}</Title>
                <Text size="sm" c="dimmed" mb="xs">
                  {t('playbooks.variables.hint', { ref: '{{ secret:NAME }}' })}
                </Text>
                <VariablesEditor rows={draft.variables} onChange={(variables) => set({ variables })} errors={errors} />
              </div>
              <div>
                <Title order={5}>{t('playbooks.survey.title')}</Title>
                <Text size="sm" c="dimmed" mb="xs">
                  {t('playbooks.survey.hint')}
                </Text>
                <SurveyEditor rows={draft.survey} onChange={(survey) => set({ survey })} errors={errors} />
              </div>
            </Stack>
          ) : null}
          {step === 'options' ? (
            <Stack>
              <OptionsEditor value={draft.options} onChange={(options) => set({ options })} errors={errors} />
              <Switch label={t('playbooks.allowParallel')} description={t('playbooks.allowParallelHint')} checked={draft.allowParallel} onChange={(e) => set({ allowParallel: e.currentTarget.checked })} data-testid="option-parallel" />
              <Switch
                label={t('playbooks.retryInfrastructure')}
                description={t('playbooks.retryInfrastructureHint')}
                checked={draft.retryInfrastructure}
                onChange={(e) => set({ retryInfrastructure: e.currentTarget.checked })}
              />
              <TextInput
                label={t('playbooks.vaultPasswordSecret')}
                description={t('playbooks.vaultPasswordSecretHint')}
                value={draft.vaultPasswordSecret}
                onChange={(e) => set({ vaultPasswordSecret: e.currentTarget.value })}
                error={errors['defaults.vault_password_secret']}
                data-testid="option-vault-password"
              />
            </Stack>
          ) : null}
          {step === 'schedule' ? (
            <Stack gap="sm" data-testid="wizard-schedule">
              <Switch
                label={t('playbooks.scheduleStep.toggle')}
                description={t('playbooks.scheduleStep.hint')}
                checked={scheduleOn}
                onChange={(e) => {
                  setScheduleOn(e.currentTarget.checked);
                  setErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => stepOfField(k) !== 'schedule')));
                }}
                data-testid="wizard-schedule-toggle"
              />
              {scheduleOn ? (
                <>
                  <TextInput
                    label={t('schedules.fields.name')}
                    placeholder={scheduleName}
                    value={schedule.name}
                    onChange={(e) => setSched({ name: e.currentTarget.value })}
                    error={errors['schedule.name']}
                    data-testid="schedule-name"
                  />
                  <ScheduleFields
                    draft={schedule}
                    set={setSched}
                    errors={Object.fromEntries(Object.entries(errors).flatMap(([k, v]) => (k.startsWith('schedule.') ? [[k.slice('schedule.'.length), v]] : [])))}
                  />
                </>
              ) : null}
            </Stack>
          ) : null}
          {step === 'review' ? <Review draft={draft} schedule={!playbook && scheduleOn ? schedule : null} scheduleName={scheduleName} /> : null}
        </div>
        {Object.keys(errors).length > 0 && !errorSteps.has(step) ? (
          <Alert color="red" mt="md" data-testid="wizard-errors">
            {t('playbooks.errors.otherSteps')}
          </Alert>
        ) : null}
        <Group justify="space-between" mt="lg">
          <Button variant="default" onClick={() => goTo(active - 1)} disabled={active === 0} data-testid="wizard-back">
            {t('common.back')}
          </Button>
          {step === 'review' ? (
            <Button onClick={submit} loading={save.isPending || saveSchedule.isPending} leftSection={<IconCheck size={16} />} data-testid="wizard-save">
              {playbook ? t('playbooks.save') : t('playbooks.createSubmit')}
            </Button>
          ) : (
            <Button onClick={() => goTo(active + 1)} data-testid="wizard-next">
              {t('playbooks.next')}
            </Button>
          )}
        </Group>
      </Paper>
    </Stack>
  );
}

type StepProps = { draft: PlaybookDraft; set: (p: Partial<PlaybookDraft>) => void; errors: Record<string, string> };

/** Name and description, then where the YAML lives: the editor and files, or a Git repository. */
function ContentStep({ draft, set, errors }: StepProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <TextInput label={t('playbooks.fields.name')} required value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.name} data-testid="playbook-name" />
      <TextInput label={t('playbooks.fields.description')} value={draft.description} onChange={(e) => set({ description: e.currentTarget.value })} error={errors.description} data-testid="playbook-description" />
      <Input.Wrapper label={t('playbooks.source.label')} error={errors.source}>
        <div>
          <SegmentedControl
            value={draft.sourceKind}
            onChange={(v) => set({ sourceKind: v as SourceKind })}
            data={SOURCE_KINDS.map((k) => ({ value: k, label: t(`playbooks.source.${k}`) }))}
            aria-label={t('playbooks.source.label')}
            data-testid="playbook-source"
          />
        </div>
      </Input.Wrapper>
      {draft.sourceKind === 'git' ? <GitSourceFields git={draft.git} onChange={(git) => set({ git })} errors={errors} /> : <StoredContent draft={draft} set={set} errors={errors} />}
    </Stack>
  );
}

/** A Git source: URL, ref, path, and the vault secret (and user) to fetch it with. */
function GitSourceFields({ git, onChange, errors }: { git: GitDraft; onChange: (g: GitDraft) => void; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const canReadSecrets = usePermission(PERMISSIONS.secretsRead);
  const credentials = useGitCredentials(canReadSecrets);
  const set = (patch: Partial<GitDraft>) => onChange({ ...git, ...patch });
  const options = (credentials.data ?? []).map((s) => ({ value: s.name, label: `${s.name} (${t(`secrets.kinds.${s.kind}`)})` }));
  // A credential saved by id, or one no longer listed, still shows.
  if (git.credential && !options.some((o) => o.value === git.credential)) options.unshift({ value: git.credential, label: git.credential });
  return (
    <Stack gap="sm" data-testid="playbook-git">
      <Text size="sm" c="dimmed">
        {t('playbooks.source.gitHint')}
      </Text>
      <TextInput
        label={t('playbooks.source.url')}
        description={t('playbooks.source.urlHint')}
        placeholder="https://git.example.com/ops/playbooks.git"
        required
        value={git.url}
        onChange={(e) => set({ url: e.currentTarget.value })}
        error={errors['source.url']}
        styles={mono}
        data-testid="git-url"
      />
      <Group grow align="flex-start">
        <TextInput
          label={t('playbooks.source.ref')}
          placeholder="main"
          value={git.gitRef}
          onChange={(e) => set({ gitRef: e.currentTarget.value })}
          error={errors['source.git_ref']}
          styles={mono}
          data-testid="git-ref"
        />
        <TextInput
          label={t('playbooks.source.path')}
          description={t('playbooks.source.pathHint')}
          placeholder="site.yml"
          required
          value={git.path}
          onChange={(e) => set({ path: e.currentTarget.value })}
          error={errors['source.path']}
          styles={mono}
          data-testid="git-path"
        />
      </Group>
      <Group grow align="flex-start">
        {canReadSecrets ? (
          <Select
            label={t('playbooks.source.credential')}
            description={t('playbooks.source.credentialHint')}
            placeholder={t('playbooks.source.credentialPlaceholder')}
            data={options}
            value={git.credential || null}
            onChange={(v) => set({ credential: v ?? '' })}
            searchable
            clearable
            nothingFoundMessage={t('playbooks.source.noCredentials')}
            error={errors['source.credential'] ?? (credentials.isError ? t('common.loadFailed') : undefined)}
            data-testid="git-credential"
          />
        ) : (
          <TextInput
            label={t('playbooks.source.credential')}
            description={t('playbooks.source.credentialHint')}
            placeholder={t('playbooks.variables.secretPlaceholder')}
            value={git.credential}
            onChange={(e) => set({ credential: e.currentTarget.value })}
            error={errors['source.credential']}
            data-testid="git-credential"
          />
        )}
        <TextInput
          label={t('playbooks.source.username')}
          description={t('playbooks.source.usernameHint')}
          placeholder="git"
          value={git.username}
          onChange={(e) => set({ username: e.currentTarget.value })}
          error={errors['source.username']}
          data-testid="git-username"
        />
      </Group>
    </Stack>
  );
}

/** The YAML editor with live validation, and the extra files shipped next to it. */
function StoredContent({ draft, set, errors }: StepProps) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(draft.content, 400);
  const validation = useValidatePlaybook(debounced);
  const checking = debounced !== draft.content || validation.isFetching;
  const result = draft.content.trim() ? validation.data : undefined;
  return (
    <Stack gap="sm">
      <Textarea
        label={t('playbooks.fields.content')}
        required
        autosize
        minRows={12}
        maxRows={30}
        spellCheck={false}
        value={draft.content}
        onChange={(e) => set({ content: e.currentTarget.value })}
        error={errors.content}
        styles={mono}
        data-testid="playbook-content"
      />
      <Group gap="xs" data-testid="playbook-validation" data-valid={result && !checking ? String(result.valid) : undefined}>
        {checking ? (
          <>
            <Loader size={14} />
            <Text size="sm" c="dimmed">
              {t('playbooks.validation.checking')}
            </Text>
          </>
        ) : validation.isError ? (
          <Text size="sm" c="red">
            {errorMessage(validation.error)}
          </Text>
        ) : result?.valid ? (
          <>
            <IconCheck size={16} color="var(--mantine-color-green-6)" />
            <Text size="sm" c="green">
              {t('playbooks.validation.valid')}
            </Text>
          </>
        ) : result ? (
          <>
            <IconX size={16} color="var(--mantine-color-red-6)" />
            <Text size="sm" c="red">
              {result.line ? t('playbooks.validation.atLine', { line: result.line, message: result.message ?? '' }) : (result.message ?? t('playbooks.validation.invalid'))}
            </Text>
          </>
        ) : null}
      </Group>
      <div>
        <Text size="sm" fw={500}>
          {t('playbooks.files.title')}
        </Text>
        <Text size="xs" c="dimmed" mb="xs">
          {t('playbooks.files.hint')}
        </Text>
        <Stack gap="xs">
          {draft.files.map((f, i) => (
            <Paper key={i} withBorder p="xs" data-testid="playbook-file">
              <Group gap="xs" mb={4} wrap="nowrap">
                <TextInput
                  placeholder="templates/motd.j2"
                  aria-label={t('playbooks.files.path')}
                  value={f.path}
                  onChange={(e) => set({ files: draft.files.map((g, j) => (j === i ? { ...g, path: e.currentTarget.value } : g)) })}
                  error={errors[`files.${i}`]}
                  styles={mono}
                  style={{ flex: 1 }}
                  data-testid="playbook-file-path"
                />
                <ActionIcon variant="subtle" color="red" aria-label={t('common.remove')} onClick={() => set({ files: draft.files.filter((_, j) => j !== i) })} data-testid="playbook-file-remove">
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
              <Textarea
                aria-label={t('playbooks.files.content')}
                autosize
                minRows={3}
                maxRows={15}
                spellCheck={false}
                value={f.content}
                onChange={(e) => set({ files: draft.files.map((g, j) => (j === i ? { ...g, content: e.currentTarget.value } : g)) })}
                styles={mono}
              />
            </Paper>
          ))}
          {errors.files ? (
            <Text size="sm" c="red">
              {errors.files}
            </Text>
          ) : null}
          <Group>
            <Button size="xs" variant="light" leftSection={<IconFilePlus size={14} />} onClick={() => set({ files: [...draft.files, { path: '', content: '' }] })} data-testid="playbook-file-add">
              {t('playbooks.files.add')}
            </Button>
          </Group>
        </Stack>
      </div>
    </Stack>
  );
}

function ReviewRow({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid={testId}>
      <Text size="sm" c="dimmed" w={180} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {value}
      </Text>
    </Group>
  );
}

/** The schedule to be created: its name and the server's description of the timing. */
function ScheduleReview({ schedule, name }: { schedule: ScheduleDraft; name: string }) {
  const { t } = useTranslation();
  const { preview } = useDraftPreview(schedule);
  const timing = preview.data?.description ?? (schedule.mode === 'cron' ? schedule.cron : t('schedules.everySeconds', { count: Math.round(schedule.intervalMinutes * 60) }));
  return <ReviewRow label={t('playbooks.steps.schedule')} value={`${name}: ${timing} (${schedule.timezone})`} testId="wizard-review-schedule" />;
}

function Review({ draft, schedule, scheduleName }: { draft: PlaybookDraft; schedule: ScheduleDraft | null; scheduleName: string }) {
  const { t } = useTranslation();
  const targets = targetParts(draft.targets);
  const o = draft.options;
  const git = draft.sourceKind === 'git' ? toGitSource(draft.git) : null;
  const row = (label: string, value: string) => <ReviewRow label={label} value={value} />;
  return (
    <Stack gap={6} data-testid="wizard-review">
      {row(t('playbooks.fields.name'), draft.name)}
      {row(t('playbooks.fields.description'), draft.description || '—')}
      {git ? (
        <>
          {row(t('playbooks.source.url'), git.url)}
          {row(t('playbooks.source.ref'), git.git_ref ?? 'main')}
          {row(t('playbooks.source.path'), git.path)}
          {row(t('playbooks.source.credential'), git.credential ?? '—')}
          {git.username ? row(t('playbooks.source.username'), git.username) : null}
        </>
      ) : (
        <>
          {row(t('playbooks.review.content'), t('playbooks.review.lines', { count: draft.content.split('\n').length }))}
          {row(t('playbooks.files.title'), draft.files.length ? draft.files.map((f) => f.path).join(', ') : '—')}
        </>
      )}
      {row(
        t('playbooks.steps.targets'),
        [
          targets.hosts ? t('playbooks.review.hosts', { count: targets.hosts }) : null,
          targets.groups.length ? t('playbooks.review.groups', { names: targets.groups.join(', ') }) : null,
          targets.rule ? t('playbooks.review.rule', { rule: targets.rule }) : null,
        ]
          .filter(Boolean)
          .join('; ') || t('playbooks.review.noTargets'),
      )}
      {row(t('playbooks.variables.title'), draft.variables.length ? draft.variables.map((v) => `${v.name} (${t(`playbooks.types.${v.type}`)})`).join(', ') : '—')}
      {row(t('playbooks.survey.title'), draft.survey.length ? draft.survey.map((q) => q.label || q.name).join(', ') : '—')}
      {row(
        t('playbooks.steps.options'),
        [
          o.check ? '--check' : null,
          o.diff ? '--diff' : null,
          o.tags.length ? `--tags ${o.tags.join(',')}` : null,
          o.skip_tags.length ? `--skip-tags ${o.skip_tags.join(',')}` : null,
          o.limit ? `--limit ${o.limit}` : null,
          o.verbosity ? `-${'v'.repeat(o.verbosity)}` : null,
          `--forks ${o.forks}`,
          t('playbooks.review.timeout', { seconds: o.timeout_seconds }),
        ]
          .filter(Boolean)
          .join(' '),
      )}
      {row(t('playbooks.allowParallel'), draft.allowParallel ? t('common.yes') : t('common.no'))}
      {schedule ? <ScheduleReview schedule={schedule} name={scheduleName} /> : null}
      {git ? (
        <Group gap={6} c="dimmed">
          <IconBrandGit size={16} />
          <Text size="sm">{t('playbooks.source.gitHint')}</Text>
        </Group>
      ) : (
        <Code block mah={240} style={{ overflow: 'auto' }}>
          {draft.content}
        </Code>
      )}
    </Stack>
  );
}
