import { Alert, Button, Group, List, Loader, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SCHEDULE_MISSED, SCHEDULE_OVERLAPS, type Schedule } from '@/api/types';
import { ApiError } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';
import { errorMessage, notifyError, notifySuccess } from '@/lib/notify';
import { useSaveSchedule } from '../api/save-schedule';
import { useSchedulePreview } from '../api/schedule-preview';
import { CRON_PRESETS, emptySchedule, fromSchedule, presetOf, previewRequest, TIMEZONES, toScheduleInput, type ScheduleDraft } from '../lib/schedule-form';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** Creates or edits a schedule: cron (with presets) or an interval, time zone, live preview, policies. */
export function ScheduleFormModal({
  schedule,
  playbookId,
  playbooks,
  onClose,
}: {
  schedule?: Schedule;
  /** Fixed playbook (from its page); otherwise one is chosen from `playbooks`. */
  playbookId?: string;
  playbooks?: { value: string; label: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveSchedule();
  const [draft, setDraft] = useState<ScheduleDraft>(() => (schedule ? fromSchedule(schedule) : emptySchedule(playbookId ?? '')));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<ScheduleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const request = previewRequest(draft);
  const key = JSON.stringify(request);
  const [debouncedKey] = useDebouncedValue(key, 400);
  const preview = useSchedulePreview(debouncedKey, request !== null && debouncedKey !== 'null');
  const pending = debouncedKey !== key || preview.isFetching;
  const preset = presetOf(draft.cron);

  const submit = () => {
    const found: Record<string, string> = {};
    if (!draft.name.trim()) found.name = t('validation.required');
    if (!draft.playbookId) found.playbook_id = t('validation.required');
    if (Object.keys(found).length) return setErrors(found);
    save.mutate(
      { id: schedule?.id, body: toScheduleInput(draft) },
      {
        onSuccess: () => {
          notifySuccess(schedule ? t('schedules.saved') : t('schedules.created'));
          onClose();
        },
        onError: (err) => {
          if (err instanceof ApiError && Object.keys(err.fieldErrors).length) setErrors(err.fieldErrors);
          else notifyError(err);
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={schedule ? t('schedules.editTitle') : t('schedules.createTitle')} size="lg" centered>
      <Stack gap="sm" data-testid="schedule-form">
        <TextInput label={t('schedules.fields.name')} required value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.name} data-testid="schedule-name" />
        {playbookId ? null : (
          <Select
            label={t('schedules.fields.playbook')}
            required
            searchable
            data={playbooks ?? []}
            value={draft.playbookId || null}
            onChange={(v) => set({ playbookId: v ?? '' })}
            error={errors.playbook_id}
            data-testid="schedule-playbook"
          />
        )}
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="schedule-save">
            {schedule ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
