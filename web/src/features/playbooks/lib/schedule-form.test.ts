import { describe, expect, it } from 'vitest';
import type { Schedule } from '@/api/types';
import { emptySchedule, fromSchedule, presetOf, previewRequest, toScheduleInput } from './schedule-form';

const schedule: Schedule = {
  id: 's1',
  playbook_id: 'p1',
  name: 'Nightly',
  cron: null,
  interval_seconds: 900,
  timezone: 'Europe/Paris',
  enabled: false,
  ends_at: null,
  overrides: { targets: null },
  overlap: 'queue',
  missed: 'skip',
  description: 'Every 15 minutes',
  next: [],
  created_at: '2025-01-01T00:00:00Z',
};

describe('schedule form', () => {
  it('round-trips an interval schedule', () => {
    const d = fromSchedule(schedule);
    expect(d.mode).toBe('interval');
    expect(d.intervalMinutes).toBe(15);
    expect(toScheduleInput(d)).toMatchObject({ cron: null, interval_seconds: 900, timezone: 'Europe/Paris', enabled: false, overlap: 'queue', missed: 'skip', ends_at: null });
  });

  it('sends cron only in cron mode and converts the end date to an instant', () => {
    const d = { ...emptySchedule('p1'), name: ' x ', cron: '30 2 * * 1-5', endsAt: '2030-01-02T03:04' };
    const input = toScheduleInput(d);
    expect(input).toMatchObject({ name: 'x', cron: '30 2 * * 1-5', interval_seconds: null });
    expect(input.ends_at).toBe(new Date('2030-01-02T03:04').toISOString());
  });

  it('builds preview requests and recognises presets', () => {
    expect(previewRequest({ ...emptySchedule('p1'), cron: ' ' })).toBeNull();
    expect(previewRequest({ ...emptySchedule('p1'), mode: 'interval', intervalMinutes: 2 })).toEqual({ interval_seconds: 120, timezone: 'UTC' });
    expect(presetOf('30 2 * * 1-5')).toBe('weekdays');
    expect(presetOf('1 2 3 4 5')).toBeNull();
  });
});
