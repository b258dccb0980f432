import type { DatesRangeValue } from '@mantine/dates';
import dayjs from 'dayjs';
import type { AuditQuery } from '@/api/types';
import type { AuditExportFilters } from '../api/export-audit';

export type AuditFilterValues = {
  actor: string;
  action: string;
  target_type: string;
  outcome: string | null;
  range: DatesRangeValue<string>;
};

export const EMPTY_AUDIT_FILTERS: AuditFilterValues = { actor: '', action: '', target_type: '', outcome: null, range: [null, null] };

export function hasAuditFilters(f: AuditFilterValues): boolean {
  return Boolean(f.actor || f.action || f.target_type || f.outcome || f.range[0] || f.range[1]);
}

/** Turns the filter form into API query parameters: dates become whole local days, `to` exclusive. */
export function toAuditQuery(f: AuditFilterValues): AuditExportFilters {
  const [from, to] = f.range;
  return {
    actor: f.actor.trim() || undefined,
    action: f.action.trim() || undefined,
    target_type: f.target_type.trim() || undefined,
    outcome: (f.outcome as AuditQuery['outcome']) ?? undefined,
    from: from ? dayjs(from).startOf('day').toISOString() : undefined,
    to: to || from ? dayjs(to ?? from).add(1, 'day').startOf('day').toISOString() : undefined,
  };
}
