import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import i18n from '@/i18n';

dayjs.extend(relativeTime);

/** Local date and time in the UI language; seconds only where order matters (audit). */
export function formatDateTime(value: string | null | undefined, fallback = '—', seconds = false): string {
  if (!value) return fallback;
  const d = dayjs(value);
  return d.isValid() ? d.format(seconds ? 'L LTS' : 'L LT') : value;
}

export function formatNumber(n: number, lng: string): string {
  return new Intl.NumberFormat(lng).format(n);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;

/** A size in binary units with at most one decimal: `512 B`, `1.5 KiB`, `1 MiB`; `exact` keeps bytes: `1,048,577 B`. */
export function formatBytes(bytes: number, lng: string = i18n.language, exact = false): string {
  let value = bytes;
  let unit = 0;
  while (!exact && value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const number = new Intl.NumberFormat(lng, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  return `${number} ${i18n.t(`units.${BYTE_UNITS[unit] ?? 'B'}`, { lng })}`;
}

/** "5 minutes ago" in the UI language. */
export function formatRelative(value: string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const d = dayjs(value);
  return d.isValid() ? d.fromNow() : value;
}
