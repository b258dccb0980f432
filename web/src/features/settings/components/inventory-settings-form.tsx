import { ActionIcon, Alert, Button, Checkbox, Group, NumberInput, Select, SimpleGrid, Skeleton, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHECK_METHODS, type CheckMethod, type InventorySettings } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { isApiError } from '@/lib/api-error';
import { usePermission } from '@/lib/auth/use-auth';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { inventorySettingsQueryOptions, useInventorySettings } from '../api/get-inventory-settings';
import { useUpdateInventorySettings } from '../api/update-inventory-settings';
import { INVENTORY_LIMITS, toInventoryBody, toInventoryForm, validateInventoryForm, type InventoryFormValues } from '../lib/inventory';

const FIELDS = [
  'check_interval_seconds',
  'check_concurrency',
  'check_timeout_seconds',
  'status_history_retention_days',
  'default_check_method',
  'environment_check_methods',
  'target_allow',
  'target_deny',
  'terminal_idle_timeout_minutes',
  'terminal_max_duration_minutes',
  'terminal_recording',
  'terminal_record_input',
  'run_concurrency',
  'run_host_timeout_seconds',
] as const;

function Form({ settings, canEdit }: { settings: InventorySettings; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useUpdateInventorySettings();
  const [version, setVersion] = useState(settings.version);
  const [stale, setStale] = useState(false);
  const form = useForm<InventoryFormValues>({ initialValues: toInventoryForm(settings), validate: (v) => validateInventoryForm(t, v) });
  const methods = CHECK_METHODS.map((m) => ({ value: m, label: t(`hosts.methods.${m}`) }));
  const reset = (s: InventorySettings) => {
    setVersion(s.version);
    form.setValues(toInventoryForm(s));
    form.resetDirty(toInventoryForm(s));
  };

  const submit = form.onSubmit((v) =>
    update.mutate(toInventoryBody(v, version), {
      onSuccess: (saved) => {
        reset(saved);
        setStale(false);
        notifySuccess(t('settings.saved'));
      },
      onError: async (err) => {
        if (isApiError(err) && err.status === 409) {
          try {
            reset(await queryClient.fetchQuery({ ...inventorySettingsQueryOptions(), staleTime: 0 }));
            setStale(true);
          } catch (reloadErr) {
            notifyError(reloadErr);
          }
          return;
        }
        if (!applyFieldErrors(err, form.setFieldError, FIELDS)) notifyError(err);
      },
    }),
  );

  const number = (field: keyof typeof INVENTORY_LIMITS, label: string, hint: string) => (
    <NumberInput
      label={label}
      description={hint}
      min={field === 'check_interval_seconds' ? 0 : INVENTORY_LIMITS[field].min}
      max={INVENTORY_LIMITS[field].max}
      allowDecimal={false}
      allowNegative={false}
      disabled={!canEdit}
      data-testid={`inventory-${field}`}
      {...form.getInputProps(field)}
    />
  );

  return (
    <form onSubmit={submit} noValidate data-testid="inventory-settings-form">
      <Stack maw={760}>
        {stale ? (
          <Alert color="yellow" icon={<IconAlertTriangle />} data-testid="stale-version">
            {t('errors.staleVersion')}
          </Alert>
        ) : null}
        {!canEdit ? (
          <Alert color="blue" icon={<IconInfoCircle />}>
            {t('settings.readOnly')}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {number('check_interval_seconds', t('settings.inventory.interval'), t('settings.inventory.intervalHint'))}
          {number('check_timeout_seconds', t('settings.inventory.timeout'), t('settings.inventory.timeoutHint'))}
          {number('check_concurrency', t('settings.inventory.concurrency'), t('settings.inventory.concurrencyHint'))}
          {number('status_history_retention_days', t('settings.inventory.retention'), t('settings.inventory.retentionHint'))}
        </SimpleGrid>
        <Select
          label={t('settings.inventory.defaultMethod')}
          description={t('settings.inventory.defaultMethodHint')}
          data={methods}
          allowDeselect={false}
          disabled={!canEdit}
          maw={360}
          {...form.getInputProps('default_check_method')}
        />
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            {t('settings.inventory.envMethods')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('settings.inventory.envMethodsHint')}
          </Text>
          {form.values.environment_check_methods.map((row, i) => (
            <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
              <TextInput
                aria-label={t('hosts.fields.environment')}
                placeholder="prod"
                value={row.environment}
                disabled={!canEdit}
                error={form.errors[`environment_check_methods.${i}.environment`]}
                onChange={(e) => form.setFieldValue(`environment_check_methods.${i}.environment`, e.currentTarget.value)}
                style={{ flex: 1 }}
              />
              <Select
                aria-label={t('hosts.fields.checkMethod')}
                data={methods}
                allowDeselect={false}
                disabled={!canEdit}
                value={row.method}
                onChange={(v) => form.setFieldValue(`environment_check_methods.${i}.method`, (v ?? 'tcp') as CheckMethod)}
                w={180}
              />
              {canEdit ? (
                <ActionIcon variant="subtle" color="red" mt={6} aria-label={t('common.delete')} onClick={() => form.removeListItem('environment_check_methods', i)}>
                  <IconTrash size={16} />
                </ActionIcon>
              ) : null}
            </Group>
          ))}
          {canEdit ? (
            <Group>
              <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('environment_check_methods', { environment: '', method: 'tcp' })}>
                {t('settings.inventory.addEnvMethod')}
              </Button>
            </Group>
          ) : null}
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea
            label={t('settings.inventory.allow')}
            description={t('settings.inventory.allowHint')}
            autosize
            minRows={4}
            disabled={!canEdit}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('target_allow')}
          />
          <Textarea
            label={t('settings.inventory.deny')}
            description={t('settings.inventory.denyHint')}
            autosize
            minRows={4}
            disabled={!canEdit}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('target_deny')}
          />
        </SimpleGrid>
        <Title order={4} mt="sm">
          {t('settings.inventory.terminalTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {number('terminal_idle_timeout_minutes', t('settings.inventory.terminalIdle'), t('settings.inventory.terminalIdleHint'))}
          {number('terminal_max_duration_minutes', t('settings.inventory.terminalMax'), t('settings.inventory.terminalMaxHint'))}
        </SimpleGrid>
        <Checkbox
          label={t('settings.inventory.terminalRecording')}
          description={t('settings.inventory.terminalRecordingHint')}
          disabled={!canEdit}
          data-testid="inventory-terminal_recording"
          {...form.getInputProps('terminal_recording', { type: 'checkbox' })}
        />
        <Checkbox
          label={t('settings.inventory.terminalRecordInput')}
          description={t('settings.inventory.terminalRecordInputHint')}
          color="orange"
          disabled={!canEdit || !form.values.terminal_recording}
          data-testid="inventory-terminal_record_input"
          {...form.getInputProps('terminal_record_input', { type: 'checkbox' })}
        />
        <Title order={4} mt="sm">
          {t('settings.inventory.runsTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {number('run_concurrency', t('settings.inventory.runConcurrency'), t('settings.inventory.runConcurrencyHint'))}
          {number('run_host_timeout_seconds', t('settings.inventory.runTimeout'), t('settings.inventory.runTimeoutHint'))}
        </SimpleGrid>
        {canEdit ? (
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending} disabled={!form.isDirty()} data-testid="inventory-save">
              {t('common.save')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}

export function InventorySettingsSection() {
  const settings = useInventorySettings();
  const canEdit = usePermission(PERMISSIONS.settingsUpdate);
  if (settings.isError) return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data)
    return (
      <Stack maw={760}>
        {FIELDS.slice(0, 4).map((f) => (
          <Skeleton key={f} height={56} />
        ))}
      </Stack>
    );
  return <Form settings={settings.data} canEdit={canEdit} />;
}
