import { Alert, Group, List, Loader, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SCHEDULE_MISSED, SCHEDULE_OVERLAPS } from '@/api/types';
import { formatDateTime } from '@/lib/format';
import { errorMessage } from '@/lib/notify';
import { useDraftPreview } from '../api/schedule-preview';
import { CRON_PRESETS, presetOf, TIMEZONES, type ScheduleDraft } from '../lib/schedule-form';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** A schedule's timing (cron with presets, or an interval), time zone, live preview and policies; shared by the schedule modal and the playbook wizard. */
export function ScheduleFields({ draft, set, errors }: { draft: ScheduleDraft; set: (patch: Partial<ScheduleDraft>) => void; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const { request, preview, pending } = useDraftPreview(draft);
  const preset = presetOf(draft.cron);
  return (
    <>
      <SegmentedControl
        value={draft.mode}
        onChange={(v) => set({ mode: v === 'interval' ? 'interval' : 'cron' })}
        data={[
          { value: 'cron', label: t('schedules.modes.cron') },
          { value: 'interval', label: t('schedules.modes.interval') },
        ]}
        data-testid="schedule-mode"
      />
      {draft.mode === 'cron' ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('schedules.fields.preset')}
            data={CRON_PRESETS.map((p) => ({ value: p.key, label: t(`schedules.presets.${p.key}`) }))}
            value={preset}
            placeholder={t('schedules.presets.custom')}
            onChange={(v) => {
              const p = CRON_PRESETS.find((x) => x.key === v);
              if (p) set({ cron: p.cron });
            }}
            data-testid="schedule-preset"
          />
          <TextInput
            label={t('schedules.fields.cron')}
            description={t('schedules.cronHint')}
            value={draft.cron}
            onChange={(e) => set({ cron: e.currentTarget.value })}
            error={errors.cron}
            styles={mono}
            data-testid="schedule-cron"
          />
        </SimpleGrid>
      ) : (
        <NumberInput
          label={t('schedules.fields.interval')}
          min={1}
          value={draft.intervalMinutes}
          onChange={(v) => set({ intervalMinutes: typeof v === 'number' ? v : Number.NaN })}
          error={errors.interval_seconds}
          data-testid="schedule-interval"
        />
      )}
      <Select
        label={t('schedules.fields.timezone')}
        searchable
        data={TIMEZONES.includes(draft.timezone as (typeof TIMEZONES)[number]) ? [...TIMEZONES] : [draft.timezone, ...TIMEZONES]}
        value={draft.timezone}
        onChange={(v) => set({ timezone: v ?? 'UTC' })}
        allowDeselect={false}
        error={errors.timezone}
        data-testid="schedule-timezone"
      />
      <Alert color={preview.isError && !pending ? 'red' : 'blue'} variant="light" p="xs" data-testid="schedule-preview">
        {request === null ? (
          <Text size="sm">{t('schedules.previewEmpty')}</Text>
        ) : preview.isError && !pending ? (
          <Text size="sm" data-testid="schedule-preview-error">
            {errorMessage(preview.error)}
          </Text>
        ) : preview.data ? (
          <Stack gap={4}>
            <Group gap="xs">
              <Text size="sm" fw={500} data-testid="schedule-preview-description">
                {preview.data.description}
              </Text>
              {pending ? <Loader size={12} /> : null}
            </Group>
            <Text size="xs" c="dimmed">
              {t('schedules.nextRuns')}
            </Text>
            <List size="xs">
              {preview.data.next.map((n) => (
                <List.Item key={n}>{formatDateTime(n)}</List.Item>
              ))}
            </List>
          </Stack>
        ) : (
          <Loader size={14} />
        )}
      </Alert>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('schedules.fields.overlap')}
          data={SCHEDULE_OVERLAPS.map((v) => ({ value: v, label: t(`schedules.overlap.${v}`) }))}
          value={draft.overlap}
          onChange={(v) => set({ overlap: v ?? 'skip' })}
          allowDeselect={false}
          data-testid="schedule-overlap"
        />
        <Select
          label={t('schedules.fields.missed')}
          data={SCHEDULE_MISSED.map((v) => ({ value: v, label: t(`schedules.missed.${v}`) }))}
          value={draft.missed}
          onChange={(v) => set({ missed: v ?? 'run_once' })}
          allowDeselect={false}
          data-testid="schedule-missed"
        />
        <TextInput type="datetime-local" label={t('schedules.fields.endsAt')} value={draft.endsAt} onChange={(e) => set({ endsAt: e.currentTarget.value })} error={errors.ends_at} data-testid="schedule-ends" />
        <Switch mt={28} label={t('schedules.fields.enabled')} checked={draft.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} data-testid="schedule-enabled" />
      </SimpleGrid>
    </>
  );
}
