import { statusColor } from '@/lib/run-status';
import type { HostRunStatus, RunHost, RunSummary } from '@/api/types';

export { statusColor };

export function isFinished(status: string): boolean {
  return status !== 'queued' && status !== 'running';
}

/** The summary counts in display order (what the header shows as badges). */
export const SUMMARY_ORDER = ['succeeded', 'failed', 'unreachable', 'timed_out', 'canceled', 'skipped', 'running', 'pending'] as const satisfies readonly (keyof RunSummary &
  HostRunStatus)[];

/** Counts hosts by state (live, from the streamed host states). */
export function summarize(hosts: readonly RunHost[]): RunSummary {
  const s: RunSummary = { total: hosts.length, pending: 0, running: 0, succeeded: 0, failed: 0, unreachable: 0, timed_out: 0, canceled: 0, skipped: 0 };
  for (const h of hosts) {
    const key = h.status as HostRunStatus;
    if (key in s && key !== ('total' as string)) s[key] += 1;
  }
  return s;
}

/** Whether "re-run failed hosts" makes sense: some host did not succeed. */
export function hasFailures(summary: RunSummary): boolean {
  return summary.total > 0 && summary.succeeded < summary.total;
}

/** `850 ms`, `12.3 s`, `4 m 05 s`, `2 h 03 m`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const secs = ms / 1000;
  if (secs < 60) return `${secs.toFixed(1)} s`;
  const total = Math.floor(secs);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} m`;
  return `${m} m ${String(s).padStart(2, '0')} s`;
}

/** Milliseconds between two instants, or until `now` while unfinished. */
export function elapsedMs(startedAt: string | null | undefined, finishedAt: string | null | undefined, now: number): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}
