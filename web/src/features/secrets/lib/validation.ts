import type { TFunction } from 'i18next';
import type { SecretKind } from '@/api/types';

// Mirrors the server's value types (domain crate, secrets.rs): SecretName, TagKey, SecretValue.
export const MAX_NAME = 128;
export const MAX_DESCRIPTION = 1024;
export const MAX_TAG_KEY = 64;
export const MAX_TAG_VALUE = 256;
export const MAX_LINE_VALUE_BYTES = 4 * 1024;
export const MAX_TEXT_VALUE_BYTES = 64 * 1024;

const NAME_CHARS = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const TAG_KEY_CHARS = /^[A-Za-z0-9._-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export type TagRow = { key: string; value: string };

const byteLength = (s: string) => new TextEncoder().encode(s).length;

/** The server stores names trimmed. */
export function normalizeSecretName(raw: string): string {
  return raw.trim();
}

export function secretNameError(t: TFunction, raw: string): string | null {
  const s = normalizeSecretName(raw);
  if (!s) return t('validation.required');
  if (s.length > MAX_NAME || !NAME_CHARS.test(s)) return t('secrets.validation.nameFormat');
  return null;
}

export function descriptionError(t: TFunction, v: string): string | null {
  return [...v].length > MAX_DESCRIPTION ? t('validation.tooLong', { max: MAX_DESCRIPTION }) : null;
}

/** Values are taken verbatim (never trimmed): whitespace may be part of a password. */
export function secretValueError(t: TFunction, kind: SecretKind, v: string): string | null {
  if (!v) return t('validation.required');
  if (kind === 'text') {
    if (byteLength(v) > MAX_TEXT_VALUE_BYTES) return t('secrets.validation.valueTooLarge', { size: '64 KiB' });
    if (CONTROL_EXCEPT_WHITESPACE.test(v)) return t('validation.invalidCharacters');
    return null;
  }
  if (byteLength(v) > MAX_LINE_VALUE_BYTES) return t('secrets.validation.valueTooLarge', { size: '4 KiB' });
  if (CONTROL.test(v)) return t('secrets.validation.singleLine');
  return null;
}

export function tagKeyError(t: TFunction, key: string, rows: readonly TagRow[]): string | null {
  if (!key) return t('validation.required');
  if (key.length > MAX_TAG_KEY || !TAG_KEY_CHARS.test(key)) return t('secrets.validation.tagKeyFormat');
  if (rows.filter((r) => r.key === key).length > 1) return t('secrets.validation.tagKeyDuplicate');
  return null;
}

export function tagValueError(t: TFunction, value: string): string | null {
  if ([...value].length > MAX_TAG_VALUE) return t('validation.tooLong', { max: MAX_TAG_VALUE });
  if (CONTROL.test(value)) return t('validation.invalidCharacters');
  return null;
}

export function tagsToRows(tags: Record<string, string>): TagRow[] {
  return Object.entries(tags)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

export function rowsToTags(rows: readonly TagRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.key.trim(), r.value]));
}

export function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

export type SecretFormValues = {
  name: string;
  kind: SecretKind;
  description: string;
  value: string;
  tags: TagRow[];
  /** `YYYY-MM-DD` from the date input, or null for no expiry. */
  expires_at: string | null;
};

/** Client-side checks mirroring the server's; `withValue` is false when editing metadata only. */
export function validateSecretForm(t: TFunction, v: SecretFormValues, withValue = true): Record<string, string | null> {
  const errors: Record<string, string | null> = {
    name: secretNameError(t, v.name),
    description: descriptionError(t, v.description),
    value: withValue ? secretValueError(t, v.kind, v.value) : null,
  };
  v.tags.forEach((row, i) => {
    errors[`tags.${i}.key`] = tagKeyError(t, row.key.trim(), v.tags.map((r) => ({ ...r, key: r.key.trim() })));
    errors[`tags.${i}.value`] = tagValueError(t, row.value);
  });
  return errors;
}
