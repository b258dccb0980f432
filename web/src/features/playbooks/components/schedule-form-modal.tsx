import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schedule } from '@/api/types';
import { ApiError } from '@/lib/api-error';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useSaveSchedule } from '../api/save-schedule';
import { emptySchedule, fromSchedule, toScheduleInput, type ScheduleDraft } from '../lib/schedule-form';
import { ScheduleFields } from './schedule-fields';

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
        <ScheduleFields draft={draft} set={set} errors={errors} />
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
