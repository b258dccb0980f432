import dayjs from 'dayjs';

export const EXPIRY_WARNING_DAYS = 14;

export type ExpiryState = 'none' | 'ok' | 'soon' | 'expired';

export function expiryState(expiresAt: string | null | undefined, now = Date.now()): ExpiryState {
  if (!expiresAt) return 'none';
  const at = new Date(expiresAt).getTime();
  if (Number.isNaN(at)) return 'none';
  if (at <= now) return 'expired';
  return at - now <= EXPIRY_WARNING_DAYS * 24 * 60 * 60 * 1000 ? 'soon' : 'ok';
}

/** `YYYY-MM-DD` from the date input → the end of that day, local time, as RFC 3339. */
export function expiryToApi(date: string | null): string | null {
  return date ? dayjs(date).endOf('day').toISOString() : null;
}

/** RFC 3339 from the server → `YYYY-MM-DD` in local time for the date input. */
export function expiryFromApi(value: string | null | undefined): string | null {
  return value ? dayjs(value).format('YYYY-MM-DD') : null;
}
