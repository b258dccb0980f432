import type { TaskEvent } from '@/api/types';

export type TaskResultStatus = 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped';
export type TaskResult = { host: string; status: TaskResultStatus; durationMs: number | null; msg: string | null };
export type TaskRow = { key: number; play: string | null; task: string; results: TaskResult[]; durationMs: number | null };

export const RESULT_COLORS: Record<TaskResultStatus, string> = { ok: 'green', changed: 'yellow', failed: 'red', unreachable: 'orange', skipped: 'gray' };

const RESULT_EVENTS: Record<string, TaskResultStatus> = {
  runner_on_ok: 'ok',
  runner_on_failed: 'failed',
  runner_on_unreachable: 'unreachable',
  runner_on_skipped: 'skipped',
};

function field(data: unknown, key: string): unknown {
  return data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
}

/**
 * Groups a run's task events into tasks in the order they started, each with one result per
 * host (`ok` becomes `changed` when the host changed); a task's duration is its slowest host's.
 */
export function buildTimeline(events: readonly TaskEvent[]): TaskRow[] {
  const rows: TaskRow[] = [];
  for (const e of events) {
    if (e.event === 'playbook_on_task_start') {
      rows.push({ key: e.seq, play: e.play ?? null, task: e.task ?? '', results: [], durationMs: null });
      continue;
    }
    const status = RESULT_EVENTS[e.event];
    if (!status) continue;
    const name = e.task ?? '';
    let row: TaskRow | undefined;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (rows[i]?.task === name) {
        row = rows[i];
        break;
      }
    }
    if (!row) {
      row = { key: e.seq, play: e.play ?? null, task: name, results: [], durationMs: null };
      rows.push(row);
    }
    const duration = field(e.data, 'duration_ms');
    const msg = field(e.data, 'msg');
    const durationMs = typeof duration === 'number' ? duration : null;
    row.results.push({
      host: e.host ?? '',
      status: status === 'ok' && field(e.data, 'changed') === true ? 'changed' : status,
      durationMs,
      msg: typeof msg === 'string' ? msg : null,
    });
    if (durationMs !== null) row.durationMs = Math.max(row.durationMs ?? 0, durationMs);
  }
  return rows;
}
