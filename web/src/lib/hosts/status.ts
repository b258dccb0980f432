import type { HostStatus } from '@/api/types';

export const STATUS_COLORS: Record<HostStatus, string> = { online: 'green', offline: 'red', unknown: 'gray' };

export function formatLatency(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
