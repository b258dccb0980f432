import type { TFunction } from 'i18next';
import type { Schedule, ScheduleInput, SchedulePreviewRequest } from '@/api/types';

/** Cron presets offered by the form (5-field expressions in the schedule's time zone). */
export const CRON_PRESETS = [
  { key: 'hourly', cron: '0 * * * *' },
  { key: 'daily', cron: '0 2 * * *' },
  { key: 'weekdays', cron: '30 2 * * 1-5' },
  { key: 'weekly', cron: '0 3 * * 0' },
  { key: 'monthly', cron: '0 4 1 * *' },
] as const;
export type CronPreset = (typeof CRON_PRESETS)[number]['key'];

/** Common IANA time zones; UTC first. */
export const TIMEZONES = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Amsterdam',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Prague',
  'Europe/Helsinki',
  'Europe/Kyiv',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'America/Sao_Paulo',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
] as const;

export type ScheduleDraft = {
  name: string;
  playbookId: string;
  mode: 'cron' | 'interval';
  cron: string;
  intervalMinutes: number;
  timezone: string;
  enabled: boolean;
  /** `YYYY-MM-DDTHH:mm` in local time, or empty. */
  endsAt: string;
  overlap: string;
  missed: string;
  overrides: Schedule['overrides'];
};

export function emptySchedule(playbookId: string): ScheduleDraft {
  return {
    name: '',
    playbookId,
    mode: 'cron',
    cron: '0 2 * * *',
    intervalMinutes: 60,
    timezone: 'UTC',
    enabled: true,
    endsAt: '',
    overlap: 'skip',
    missed: 'run_once',
    overrides: { targets: null },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as the value of a `datetime-local` input (local time). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromSchedule(s: Schedule): ScheduleDraft {
  const interval = s.interval_seconds ?? null;
  return {
    name: s.name,
    playbookId: s.playbook_id,
    mode: interval ? 'interval' : 'cron',
    cron: s.cron ?? '',
    intervalMinutes: interval ? Math.round(interval / 60) : 60,
    timezone: s.timezone,
    enabled: s.enabled,
    endsAt: toLocalInput(s.ends_at),
    overlap: s.overlap,
    missed: s.missed,
    overrides: s.overrides,
  };
}

export function toScheduleInput(d: ScheduleDraft): ScheduleInput {
  const ends = d.endsAt ? new Date(d.endsAt) : null;
  return {
    playbook_id: d.playbookId,
    name: d.name.trim(),
    cron: d.mode === 'cron' ? d.cron.trim() : null,
    interval_seconds: d.mode === 'interval' ? Math.round(d.intervalMinutes * 60) : null,
    timezone: d.timezone,
    enabled: d.enabled,
    ends_at: ends && !Number.isNaN(ends.getTime()) ? ends.toISOString() : null,
    overrides: d.overrides,
    overlap: d.overlap,
    missed: d.missed,
  };
}

/** What `/schedules/preview` is asked about, or null while the timing is incomplete. */
export function previewRequest(d: ScheduleDraft): SchedulePreviewRequest | null {
  if (d.mode === 'cron') return d.cron.trim() ? { cron: d.cron.trim(), timezone: d.timezone } : null;
  return Number.isFinite(d.intervalMinutes) && d.intervalMinutes > 0 ? { interval_seconds: Math.round(d.intervalMinutes * 60), timezone: d.timezone } : null;
}

/** The preset whose expression this is, if any. */
export function presetOf(cron: string): CronPreset | null {
  return CRON_PRESETS.find((p) => p.cron === cron.trim())?.key ?? null;
}

/** Errors in a draft's timing (keyed like the server's fields), empty when it can be previewed and saved. */
export function validateTiming(t: TFunction, d: ScheduleDraft): Record<string, string> {
  if (previewRequest(d)) return {};
  return d.mode === 'cron' ? { cron: t('validation.required') } : { interval_seconds: t('validation.required') };
}
