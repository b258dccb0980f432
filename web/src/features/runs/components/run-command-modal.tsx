import { Alert, Button, Checkbox, Divider, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCode, IconPlayerPlay, IconTerminal } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { SCRIPT_INTERPRETERS } from '@/api/types';
import { ApiError } from '@/lib/api-error';
import { notifyError } from '@/lib/notify';
import { useRunCommand } from '../api/run-command';
import { COMMAND_DEFAULTS, commandSummary, RUN_LIMITS, SERVER_FIELDS, toCommandRequest, validateCommandForm, type CommandFormValues, type Interpreter } from '../lib/command-form';
import { toTargetSpec, type TargetDraft } from '../lib/targets';
import { useTargetPreview } from '../lib/use-target-preview';
import { TargetPreview } from './target-preview';
import { TargetsEditor } from './targets-editor';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** Launches a command or script on a selection; on success goes to the run's page. */
export function RunCommandModal({ initial, onClose }: { initial: TargetDraft; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const run = useRunCommand();
  const [draft, setDraft] = useState(initial);
  const [targetsError, setTargetsError] = useState<string | null>(null);
  const spec = toTargetSpec(draft);
  const preview = useTargetPreview(spec);
  const form = useForm<CommandFormValues>({ initialValues: COMMAND_DEFAULTS, validate: (v) => validateCommandForm(t, v) });
  const v = form.values;
  const count = preview.data && !preview.pending ? preview.data.total : null;
  const noHosts = preview.empty || count === 0;

  const submit = form.onSubmit((values) => {
    setTargetsError(null);
    run.mutate(toCommandRequest(values, spec), {
      onSuccess: (r) => {
        onClose();
        void navigate(`/runs/${r.id}`);
      },
      onError: (err) => {
        let applied = false;
        if (err instanceof ApiError) {
          for (const [field, message] of Object.entries(err.fieldErrors)) {
            const target = SERVER_FIELDS[field];
            if (target === 'targets') setTargetsError(message);
            else if (target) form.setFieldError(target, message);
            else continue;
            applied = true;
          }
        }
        if (!applied) notifyError(err);
      },
    });
  });

  return (
    <Modal opened onClose={onClose} title={t('runs.form.title')} size="xl" centered>
      <form onSubmit={submit} noValidate data-testid="run-command-form">
        <Stack>
          <Divider label={t('runs.targets.title')} labelPosition="left" />
          <TargetsEditor
            draft={draft}
            onChange={(d) => {
              setDraft(d);
              setTargetsError(null);
            }}
            error={targetsError}
          />
          <TargetPreview preview={preview} />
          <Tabs value={v.mode} onChange={(m) => form.setFieldValue('mode', m === 'script' ? 'script' : 'command')}>
            <Tabs.List>
              <Tabs.Tab value="command" leftSection={<IconTerminal size={16} />} data-testid="run-tab-command">
                {t('runs.form.command')}
              </Tabs.Tab>
              <Tabs.Tab value="script" leftSection={<IconCode size={16} />} data-testid="run-tab-script">
                {t('runs.form.script')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="command" pt="sm">
              <TextInput
                label={t('runs.form.command')}
                placeholder={t('runs.form.commandPlaceholder')}
                styles={mono}
                data-autofocus
                data-testid="run-command-input"
                {...form.getInputProps('command')}
              />
            </Tabs.Panel>
            <Tabs.Panel value="script" pt="sm">
              <Stack gap="xs">
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput label={t('runs.form.scriptName')} placeholder={t('runs.form.scriptNamePlaceholder')} data-testid="run-script-name" {...form.getInputProps('script_name')} />
                  <Select
                    label={t('runs.form.interpreter')}
                    data={[...SCRIPT_INTERPRETERS]}
                    allowDeselect={false}
                    value={v.interpreter}
                    onChange={(i) => form.setFieldValue('interpreter', (i ?? 'bash') as Interpreter)}
                    data-testid="run-script-interpreter"
                  />
                </SimpleGrid>
                <Textarea label={t('runs.form.content')} autosize minRows={6} maxRows={18} styles={mono} data-testid="run-script-content" {...form.getInputProps('content')} />
                <Textarea label={t('runs.form.args')} description={t('runs.form.argsHint')} autosize minRows={2} maxRows={8} styles={mono} data-testid="run-script-args" {...form.getInputProps('args')} />
              </Stack>
            </Tabs.Panel>
          </Tabs>
          <Divider label={t('runs.form.options')} labelPosition="left" />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={t('runs.form.timeout')}
              description={t('runs.form.defaultHint')}
              min={RUN_LIMITS.timeout_seconds.min}
              max={RUN_LIMITS.timeout_seconds.max}
              allowDecimal={false}
              allowNegative={false}
              data-testid="run-timeout"
              {...form.getInputProps('timeout_seconds')}
            />
            <NumberInput
              label={t('runs.form.concurrency')}
              description={t('runs.form.defaultHint')}
              min={RUN_LIMITS.concurrency.min}
              max={RUN_LIMITS.concurrency.max}
              allowDecimal={false}
              allowNegative={false}
              data-testid="run-concurrency"
              {...form.getInputProps('concurrency')}
            />
          </SimpleGrid>
          <Group gap="xl">
            <Checkbox label={t('runs.form.sudo')} description={t('runs.form.sudoHint')} data-testid="run-sudo" {...form.getInputProps('sudo', { type: 'checkbox' })} />
            <Checkbox
              label={t('runs.form.stopOnFailure')}
              description={t('runs.form.stopOnFailureHint')}
              data-testid="run-stop-on-failure"
              {...form.getInputProps('stop_on_failure', { type: 'checkbox' })}
            />
          </Group>
          <Alert color="blue" variant="light" p="xs" icon={<IconPlayerPlay size={16} />}>
            <Text size="sm" ff="monospace" data-testid="run-summary-line" style={{ wordBreak: 'break-word' }}>
              {commandSummary(t, v, count)}
            </Text>
          </Alert>
          {count === 0 ? (
            <Text size="sm" c="red">
              {t('runs.form.noTargets')}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" leftSection={<IconPlayerPlay size={16} />} loading={run.isPending} disabled={noHosts} data-testid="run-submit">
              {t('runs.form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
