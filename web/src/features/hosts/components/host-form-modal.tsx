import { Alert, Button, Checkbox, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlugConnected } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { TERMINAL_RECORDING_MODES, type Host, type TerminalRecording } from '@/api/types';
import { TagsEditor } from '@/components/forms/tags-editor';
import { isApiError } from '@/lib/api-error';
import { applyFieldErrors } from '@/lib/form-errors';
import { errorMessage, notifyError, notifySuccess } from '@/lib/notify';
import { useCreateHost } from '../api/create-host';
import { useTestConnection } from '../api/test-connection';
import { useUpdateHost } from '../api/update-host';
import { formToCreate, formToUpdate, hostToForm } from '../lib/host-form';
import { EMPTY_HOST_FORM, validateHostForm, type HostFormValues } from '../lib/validation';
import { CheckMethodSelect } from './check-method-select';
import { CredentialSelect } from './credential-select';
import { TestConnectionResultView } from './test-connection-result';

const FIELDS = ['name', 'address', 'port', 'os', 'environment', 'description', 'tags', 'credential', 'check_method'] as const;

/** Create (no `host`) or edit a host; "Test connection" checks the typed values before saving. */
export function HostFormModal({ host, onClose, onSaved }: { host?: Host; onClose: () => void; onSaved?: (host: Host) => void }) {
  const { t } = useTranslation();
  const create = useCreateHost();
  const update = useUpdateHost();
  const test = useTestConnection();
  const form = useForm<HostFormValues>({ initialValues: host ? hostToForm(host) : EMPTY_HOST_FORM, validate: (v) => validateHostForm(t, v) });
  const stale = update.error && isApiError(update.error) && update.error.status === 409 && update.error.code === 'stale_version';

  const onError = (err: unknown) => {
    if (!applyFieldErrors(err, form.setFieldError, FIELDS)) notifyError(err);
  };

  const submit = form.onSubmit((v) => {
    if (host) {
      update.mutate(
        { id: host.id, body: formToUpdate(host, v) },
        {
          onSuccess: (saved) => {
            notifySuccess(t('hosts.updated', { name: saved.name }));
            onSaved?.(saved);
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(formToCreate(v), {
        onSuccess: (saved) => {
          notifySuccess(t('hosts.created', { name: saved.name }));
          onSaved?.(saved);
          onClose();
        },
        onError,
      });
    }
  });

  const runTest = () => {
    const errors = validateHostForm(t, form.values);
    for (const field of ['address', 'port', 'environment'] as const) {
      if (errors[field]) {
        form.setFieldError(field, errors[field]);
        return;
      }
    }
    const body = formToCreate(form.values);
    test.mutate({ address: body.address, port: body.port, environment: body.environment, credential: body.credential, check_method: body.check_method, legacy_ssh: body.legacy_ssh });
  };

  return (
    <Modal opened onClose={onClose} title={host ? t('hosts.editTitle', { name: host.name }) : t('hosts.createTitle')} centered size="lg">
      <form onSubmit={submit} noValidate data-testid="host-form">
        <Stack>
          {stale ? (
            <Alert color="yellow" data-testid="stale-version">
              {t('errors.staleVersion')}
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('hosts.fields.name')} description={t('hosts.nameHint')} required name="name" data-autofocus {...form.getInputProps('name')} />
            <CheckMethodSelect value={form.values.check_method} onChange={(v) => form.setFieldValue('check_method', v)} error={form.errors.check_method} data-testid="host-check-method" />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('hosts.fields.address')} description={t('hosts.addressHint')} required name="address" style={{ gridColumn: 'span 2' }} {...form.getInputProps('address')} />
            <NumberInput label={t('hosts.fields.port')} name="port" min={1} max={65535} allowDecimal={false} allowNegative={false} {...form.getInputProps('port')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('hosts.fields.os')} placeholder="linux" name="os" {...form.getInputProps('os')} />
            <TextInput label={t('hosts.fields.environment')} placeholder="prod" name="environment" {...form.getInputProps('environment')} />
          </SimpleGrid>
          <CredentialSelect value={form.values.credential} onChange={(v) => form.setFieldValue('credential', v)} error={form.errors.credential} />
          <Checkbox
            label={t('hosts.fields.legacySsh')}
            description={t('hosts.legacySshHint')}
            color="orange"
            data-testid="host-legacy-ssh"
            {...form.getInputProps('legacy_ssh', { type: 'checkbox' })}
          />
          <Select
            label={t('hosts.fields.terminalRecording')}
            description={t('hosts.terminalRecordingHint')}
            data={TERMINAL_RECORDING_MODES.map((m) => ({ value: m, label: t(`hosts.recordingModes.${m}`) }))}
            allowDeselect={false}
            maw={360}
            data-testid="host-terminal-recording"
            value={form.values.terminal_recording}
            onChange={(v) => form.setFieldValue('terminal_recording', (v ?? 'default') as TerminalRecording)}
          />
          <Textarea label={t('hosts.fields.description')} autosize minRows={2} maxRows={6} name="description" {...form.getInputProps('description')} />
          <TagsEditor rows={form.values.tags} errors={form.errors} onChange={(rows) => form.setFieldValue('tags', rows)} />
          {form.errors.tags ? (
            <Alert color="red" variant="light">
              {form.errors.tags}
            </Alert>
          ) : null}
          {test.data ? <TestConnectionResultView result={test.data} /> : null}
          {test.isError ? (
            <Alert color="red" variant="light" data-testid="test-connection-error">
              {errorMessage(test.error)}
            </Alert>
          ) : null}
          <Group justify="space-between">
            <Button variant="light" leftSection={<IconPlugConnected size={16} />} onClick={runTest} loading={test.isPending} data-testid="test-connection">
              {t('hosts.testConnection')}
            </Button>
            <Group>
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending || update.isPending} data-testid="host-submit">
                {host ? t('common.save') : t('common.create')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
