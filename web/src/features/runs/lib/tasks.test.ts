import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '@/api/types';
import { buildTimeline } from './tasks';

const ev = (seq: number, event: string, task: string | null, host: string | null, data: Record<string, unknown> = {}): TaskEvent => ({
  seq,
  event,
  task,
  host,
  play: 'site',
  data: data as TaskEvent['data'],
  at: '2025-01-01T00:00:00Z',
});

describe('buildTimeline', () => {
  it('groups host results under their task in order, with changed and the slowest duration', () => {
    const rows = buildTimeline([
      ev(1, 'playbook_on_play_start', null, null),
      ev(2, 'playbook_on_task_start', 'Gathering Facts', null),
      ev(3, 'runner_on_ok', 'Gathering Facts', 'web-01', { duration_ms: 800 }),
      ev(4, 'runner_on_unreachable', 'Gathering Facts', 'web-02', { msg: 'no route' }),
      ev(5, 'playbook_on_task_start', 'install nginx', null),
      ev(6, 'runner_on_ok', 'install nginx', 'web-01', { changed: true, duration_ms: 2500 }),
      ev(7, 'runner_on_failed', 'install nginx', 'web-03', { duration_ms: 100, msg: 'boom' }),
      ev(8, 'playbook_on_stats', null, null),
    ]);
    expect(rows.map((r) => r.task)).toEqual(['Gathering Facts', 'install nginx']);
    expect(rows[0]?.results.map((r) => r.status)).toEqual(['ok', 'unreachable']);
    expect(rows[0]?.results[1]?.msg).toBe('no route');
    expect(rows[1]?.results.map((r) => `${r.host}:${r.status}`)).toEqual(['web-01:changed', 'web-03:failed']);
    expect(rows[1]?.durationMs).toBe(2500);
  });

  it('keeps results whose task start was not seen', () => {
    const rows = buildTimeline([ev(9, 'runner_on_skipped', 'debug', 'db-01')]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.results[0]?.status).toBe('skipped');
  });
});
