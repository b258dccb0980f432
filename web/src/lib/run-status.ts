/** Badge colours of run and host statuses (shared by every page that shows a run's state). */
const COLORS: Record<string, string> = {
  queued: 'gray',
  pending: 'gray',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  unreachable: 'orange',
  timed_out: 'yellow',
  canceled: 'dark',
  skipped: 'gray',
  lost: 'grape',
};

export function statusColor(status: string): string {
  return COLORS[status] ?? 'gray';
}
