import type { TFunction } from 'i18next';
import { passwordError } from '@/lib/password-errors';

// Mirrors the server's value types (domain crate): Username, DisplayName, Email.
const USERNAME_CHARS = /^[a-z0-9._-]+$/;
const MAX_DISPLAY_NAME = 128;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export type UserFormValues = { username: string; display_name: string; email: string; role: string; password: string };

/** The server stores user names trimmed and lower-case. */
export function normalizeUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function usernameError(t: TFunction, raw: string): string | null {
  const s = normalizeUsername(raw);
  if (!s) return t('validation.required');
  const len = [...s].length;
  if (len < 3 || len > 64 || !USERNAME_CHARS.test(s) || !/^[a-z0-9]/.test(s)) return t('validation.usernameFormat');
  return null;
}

export function displayNameError(t: TFunction, v: string): string | null {
  const s = v.trim();
  if (!s) return t('validation.required');
  if ([...s].length > MAX_DISPLAY_NAME) return t('validation.tooLong', { max: MAX_DISPLAY_NAME });
  if (CONTROL.test(s)) return t('validation.invalidCharacters');
  return null;
}

export function emailError(t: TFunction, v: string): string | null {
  const s = v.trim();
  if (!s) return null;
  const at = s.indexOf('@');
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  const valid =
    s.length <= 254 &&
    !/\s/.test(s) &&
    !CONTROL.test(s) &&
    at > 0 &&
    local.length > 0 &&
    domain.includes('.') &&
    !domain.startsWith('.') &&
    !domain.endsWith('.') &&
    !domain.includes('@');
  return valid ? null : t('validation.invalidEmail');
}

export { passwordError };

/** Client-side checks mirroring the server's, so most mistakes are caught before a round trip. */
export function validateCreateUser(t: TFunction, v: UserFormValues): Partial<Record<keyof UserFormValues, string | null>> {
  return {
    username: usernameError(t, v.username),
    display_name: displayNameError(t, v.display_name),
    email: emailError(t, v.email),
    role: v.role ? null : t('validation.required'),
    password: passwordError(t, v.password, normalizeUsername(v.username)),
  };
}
