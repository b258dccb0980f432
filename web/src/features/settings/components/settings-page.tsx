import { Alert, Button, Group, NumberInput, Paper, Skeleton, Stack, Tabs, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { ParseKeys } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Settings } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { PageHeader } from '@/components/layout/page-header';
import { isApiError } from '@/lib/api-error';
import { usePermission } from '@/lib/auth/use-auth';
import { applyFieldErrors } from '@/lib/form-errors';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { settingsQueryOptions, useSettings } from '../api/get-settings';
import { useUpdateSettings } from '../api/update-settings';
import { InventorySettingsSection } from './inventory-settings-form';

type Values = Omit<Settings, 'version'>;
const FIELDS = [
  'session_idle_timeout_minutes',
  'session_absolute_lifetime_hours',
  'audit_retention_days',
  'run_retention_days',
  'runs_kept_per_playbook',
  'run_logs_max_mb',
] as const;
// Ranges the server accepts (see the Settings schema in openapi.json); 0 means "no limit" for runs.
const LIMITS: Record<(typeof FIELDS)[number], { min: number; max: number }> = {
  session_idle_timeout_minutes: { min: 5, max: 10080 },
  session_absolute_lifetime_hours: { min: 1, max: 8760 },
  audit_retention_days: { min: 1, max: 3650 },
  run_retention_days: { min: 0, max: 3650 },
  runs_kept_per_playbook: { min: 0, max: 100000 },
  run_logs_max_mb: { min: 0, max: 10000000 },
};

type NumberField = { field: (typeof FIELDS)[number]; label: ParseKeys; hint: ParseKeys };
const SESSION_FIELDS: NumberField[] = [
  { field: 'session_idle_timeout_minutes', label: 'settings.sessionIdle', hint: 'settings.sessionIdleHint' },
  { field: 'session_absolute_lifetime_hours', label: 'settings.sessionLifetime', hint: 'settings.sessionLifetimeHint' },
  { field: 'audit_retention_days', label: 'settings.auditRetention', hint: 'settings.auditRetentionHint' },
];
const RUN_FIELDS: NumberField[] = [
  { field: 'run_retention_days', label: 'settings.runRetention', hint: 'settings.runRetentionHint' },
  { field: 'runs_kept_per_playbook', label: 'settings.runsKept', hint: 'settings.runsKeptHint' },
  { field: 'run_logs_max_mb', label: 'settings.runLogsMax', hint: 'settings.runLogsMaxHint' },
];

function toValues(s: Settings): Values {
  return {
    session_idle_timeout_minutes: s.session_idle_timeout_minutes,
    session_absolute_lifetime_hours: s.session_absolute_lifetime_hours,
    audit_retention_days: s.audit_retention_days,
    run_retention_days: s.run_retention_days,
    runs_kept_per_playbook: s.runs_kept_per_playbook,
    run_logs_max_mb: s.run_logs_max_mb,
  };
}

function SettingsForm({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useUpdateSettings();
  const [version, setVersion] = useState(settings.version);
  const [stale, setStale] = useState(false);
  const inRange = (field: (typeof FIELDS)[number]) => (v: unknown) => {
    const { min, max } = LIMITS[field];
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : t('validation.integerRange', { min, max });
  };
  const form = useForm<Values>({
    initialValues: toValues(settings),
    validate: {
      session_idle_timeout_minutes: inRange('session_idle_timeout_minutes'),
      session_absolute_lifetime_hours: inRange('session_absolute_lifetime_hours'),
      audit_retention_days: inRange('audit_retention_days'),
      run_retention_days: inRange('run_retention_days'),
      runs_kept_per_playbook: inRange('runs_kept_per_playbook'),
      run_logs_max_mb: inRange('run_logs_max_mb'),
    },
  });

  const submit = form.onSubmit((v) =>
    update.mutate(
      { ...v, version },
      {
        onSuccess: (saved) => {
          setVersion(saved.version);
          form.setValues(toValues(saved));
          form.resetDirty(toValues(saved));
          setStale(false);
          notifySuccess(t('settings.saved'));
        },
        onError: async (err) => {
          if (isApiError(err, 'stale_version') || (isApiError(err) && err.status === 409)) {
            try {
              const fresh = await queryClient.fetchQuery({ ...settingsQueryOptions(), staleTime: 0 });
              setVersion(fresh.version);
              form.setValues(toValues(fresh));
              form.resetDirty(toValues(fresh));
              setStale(true);
            } catch (reloadErr) {
              notifyError(reloadErr);
            }
            return;
          }
          if (!applyFieldErrors(err, form.setFieldError, FIELDS)) notifyError(err);
        },
      },
    ),
  );

  const numberField = ({ field, label, hint }: NumberField) => (
    <NumberInput
      key={field}
      label={t(label)}
      description={t(hint)}
      min={LIMITS[field].min}
      max={LIMITS[field].max}
      allowDecimal={false}
      disabled={!canEdit}
      data-testid={`settings-${field}`}
      {...form.getInputProps(field)}
    />
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={520}>
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
        {SESSION_FIELDS.map(numberField)}
        <Title order={4} mt="sm">
          {t('settings.runs')}
        </Title>
        {RUN_FIELDS.map(numberField)}
        {canEdit ? (
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending} disabled={!form.isDirty()} data-testid="settings-save">
              {t('common.save')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useSettings();
  const canEdit = usePermission(PERMISSIONS.settingsUpdate);
  return (
    <>
      <PageHeader title={t('settings.title')} />
      <Paper withBorder p="md" radius="md">
        <Tabs defaultValue="general" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="general">{t('settings.general')}</Tabs.Tab>
            <Tabs.Tab value="inventory" data-testid="settings-tab-inventory">
              {t('settings.inventory.title')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="general">
            {settings.isError ? (
              <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
            ) : !settings.data ? (
              <Stack maw={520}>
                {FIELDS.map((f) => (
                  <Skeleton key={f} height={56} />
                ))}
              </Stack>
            ) : (
              <SettingsForm settings={settings.data} canEdit={canEdit} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="inventory">
            <InventorySettingsSection />
          </Tabs.Panel>
        </Tabs>
      </Paper>
    </>
  );
}
