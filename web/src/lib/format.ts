import dayjs from 'dayjs';

/** Local date and time in the UI language; seconds only where order matters (audit). */
export function formatDateTime(value: string | null | undefined, fallback = '—', seconds = false): string {
  if (!value) return fallback;
  const d = dayjs(value);
  return d.isValid() ? d.format(seconds ? 'L LTS' : 'L LT') : value;
}

export function formatNumber(n: number, lng: string): string {
  return new Intl.NumberFormat(lng).format(n);
}
