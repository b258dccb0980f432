import type { TFunction } from 'i18next';
import type { SecretKind } from '@/api/types';
import { base64DecodedLength } from '@/lib/base64';
import { formatBytes } from '@/lib/format';
import type { TagRow } from '@/lib/tags';
import type { ValueDraft } from './value-draft';

// Mirrors the server's value types (domain crate, secrets.rs: SecretName, TagKey, SecretValue)
// and its per-kind checks (api crate, services/secrets.rs: new_value).
export const MAX_NAME = 128;
export const MAX_DESCRIPTION = 1024;
export const MAX_TAG_KEY = 64;
export const MAX_TAG_VALUE = 256;
export const MAX_LINE_VALUE_BYTES = 4 * 1024;
export const MAX_TEXT_VALUE_BYTES = 64 * 1024;
export const MAX_SSH_KEY_BYTES = 16 * 1024;
/** The largest file secret, decoded. */
export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_FILE_NAME_BYTES = 255;

const NAME_CHARS = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const TAG_KEY_CHARS = /^[A-Za-z0-9._-]+$/;
/** A remote login name: 1–64 letters, digits, `.`, `_`, `-`, not starting with `-`. */
const SSH_USERNAME = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;


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
  if (kind === 'ssh_key') {
    return byteLength(v) > MAX_SSH_KEY_BYTES ? t('secrets.validation.valueTooLarge', { size: '16 KiB' }) : null;
  }
  if (byteLength(v) > MAX_LINE_VALUE_BYTES) return t('secrets.validation.valueTooLarge', { size: '4 KiB' });
  if (CONTROL.test(v)) return t('secrets.validation.singleLine');
  return null;
}

export function sshUsernameError(t: TFunction, v: string): string | null {
  if (!v) return t('validation.required');
  return SSH_USERNAME.test(v) ? null : t('secrets.validation.usernameFormat');
}

/** Checked when the file is chosen, before it is read, and again on submit. */
export function fileSizeError(t: TFunction, bytes: number): string | null {
  if (bytes <= MAX_FILE_BYTES) return null;
  const max = formatBytes(MAX_FILE_BYTES);
  let size = formatBytes(bytes);
  // Just over the limit rounds to the limit itself ("1 MiB; at most 1 MiB"): give the exact count then.
  if (size === max) size = formatBytes(bytes, undefined, true);
  return t('secrets.validation.fileTooLarge', { size, max });
}

export function fileNameError(t: TFunction, name: string): string | null {
  const size = byteLength(name);
  const ok = size >= 1 && size <= MAX_FILE_NAME_BYTES && name !== '.' && name !== '..' && !/[/\\]/.test(name) && !CONTROL.test(name);
  return ok ? null : t('secrets.validation.fileNameFormat');
}

/** Errors for the value inputs of `kind`, keyed by the API's field names. */
export function valueDraftErrors(t: TFunction, kind: SecretKind, d: ValueDraft): Record<string, string | null> {
  switch (kind) {
    case 'ssh_key':
      return d.key_source === 'generate' ? {} : { value: secretValueError(t, kind, d.value) };
    case 'ssh_credential':
      return {
        username: sshUsernameError(t, d.username),
        value: d.value ? secretValueError(t, 'password', d.value) : d.key_secret ? null : t('secrets.validation.passwordOrKey'),
        become_password: d.become_password ? secretValueError(t, 'password', d.become_password) : null,
      };
    case 'file':
      if (!d.value) return { value: t('secrets.validation.fileRequired') };
      return { value: fileSizeError(t, base64DecodedLength(d.value)), file_name: fileNameError(t, d.file_name) };
    default:
      return { value: secretValueError(t, kind, d.value) };
  }
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


export function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

export { rowsToTags, tagsToRows, type TagRow } from '@/lib/tags';

export type SecretFormValues = ValueDraft & {
  name: string;
  kind: SecretKind;
  description: string;
  tags: TagRow[];
  /** `YYYY-MM-DD` from the date input, or null for no expiry. */
  expires_at: string | null;
};

/** Client-side checks mirroring the server's; `withValue` is false when editing metadata only. */
export function validateSecretForm(t: TFunction, v: SecretFormValues, withValue = true): Record<string, string | null> {
  const errors: Record<string, string | null> = {
    name: secretNameError(t, v.name),
    description: descriptionError(t, v.description),
    ...(withValue ? valueDraftErrors(t, v.kind, v) : {}),
  };
  v.tags.forEach((row, i) => {
    errors[`tags.${i}.key`] = tagKeyError(t, row.key.trim(), v.tags.map((r) => ({ ...r, key: r.key.trim() })));
    errors[`tags.${i}.value`] = tagValueError(t, row.value);
  });
  return errors;
}
