import type { TFunction } from 'i18next';
import type { CheckMethod, TerminalRecording } from '@/api/types';
import { addressProblem } from '@/lib/host-address';
import type { TagRow } from '@/lib/tags';

export { addressProblem, isIpAddress, isIpv4, isIpv6, type AddressProblem } from '@/lib/host-address';

// Mirrors the server's inventory values (domain crate, hosts.rs: HostName, HostAddress, Port, Label)
// and the tag rules shared with secrets. The server stays the authority.
export const MAX_HOST_NAME = 128;
export const MAX_LABEL = 64;
export const MAX_DESCRIPTION = 1024;
export const MAX_TAG_KEY = 64;
export const MAX_TAG_VALUE = 256;
export const MAX_TAGS = 50;
export const DEFAULT_PORT = 22;

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LABEL = /^[a-z0-9._-]+$/;
const TAG_KEY = /^[A-Za-z0-9._-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export type HostNameProblem = 'required' | 'too_long' | 'characters' | 'start';
export type PortProblem = 'range';
export type LabelProblem = 'format';
export type TagProblem = 'required' | 'format' | 'duplicate' | 'too_long' | 'characters';

export function hostNameProblem(raw: string): HostNameProblem | null {
  const s = raw.trim();
  if (!s) return 'required';
  if (s.length > MAX_HOST_NAME) return 'too_long';
  if (!/^[A-Za-z0-9._-]+$/.test(s)) return 'characters';
  if (!HOST_NAME.test(s)) return 'start';
  return null;
}

export function portProblem(port: number | string | null | undefined): PortProblem | null {
  if (port === '' || port === null || port === undefined) return null;
  const n = typeof port === 'number' ? port : Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? null : 'range';
}

/** The server stores OS and environment trimmed and lower-cased; empty means not set. */
export function normalizeLabel(raw: string): string {
  return raw.trim().toLowerCase();
}

export function labelProblem(raw: string): LabelProblem | null {
  const s = normalizeLabel(raw);
  if (!s) return null;
  return s.length <= MAX_LABEL && LABEL.test(s) ? null : 'format';
}

export function tagKeyProblem(key: string, rows: readonly TagRow[]): TagProblem | null {
  const k = key.trim();
  if (!k) return 'required';
  if (k.length > MAX_TAG_KEY || !TAG_KEY.test(k)) return 'format';
  if (rows.filter((r) => r.key.trim() === k).length > 1) return 'duplicate';
  return null;
}

export function tagValueProblem(value: string): TagProblem | null {
  if ([...value].length > MAX_TAG_VALUE) return 'too_long';
  if (CONTROL.test(value)) return 'characters';
  return null;
}

export function descriptionTooLong(v: string): boolean {
  return [...v].length > MAX_DESCRIPTION;
}

export type CheckMethodChoice = CheckMethod | 'default';

export type HostFormValues = {
  name: string;
  address: string;
  port: number | string;
  os: string;
  environment: string;
  description: string;
  tags: TagRow[];
  /** Secret id, or '' for none. */
  credential: string;
  check_method: CheckMethodChoice;
  /** Offer legacy SSH algorithms (old devices). */
  legacy_ssh: boolean;
  terminal_recording: TerminalRecording;
};

export const EMPTY_HOST_FORM: HostFormValues = {
  name: '',
  address: '',
  port: DEFAULT_PORT,
  os: '',
  environment: '',
  description: '',
  tags: [],
  credential: '',
  check_method: 'default',
  legacy_ssh: false,
  terminal_recording: 'default',
};

export function hostNameError(t: TFunction, v: string): string | null {
  const p = hostNameProblem(v);
  if (p === 'required') return t('validation.required');
  return p ? t('hosts.validation.nameFormat') : null;
}

export function addressError(t: TFunction, v: string): string | null {
  const p = addressProblem(v);
  if (p === 'required') return t('validation.required');
  return p ? t(`hosts.validation.address.${p}`) : null;
}

export function labelError(t: TFunction, v: string): string | null {
  return labelProblem(v) ? t('hosts.validation.labelFormat') : null;
}

const TAG_MESSAGES: Record<TagProblem, 'validation.required' | 'hosts.validation.tagKeyFormat' | 'hosts.validation.tagKeyDuplicate' | 'validation.invalidCharacters'> = {
  required: 'validation.required',
  format: 'hosts.validation.tagKeyFormat',
  duplicate: 'hosts.validation.tagKeyDuplicate',
  too_long: 'validation.required',
  characters: 'validation.invalidCharacters',
};

export function tagErrors(t: TFunction, rows: readonly TagRow[]): Record<string, string | null> {
  const errors: Record<string, string | null> = {};
  rows.forEach((row, i) => {
    const k = tagKeyProblem(row.key, rows);
    errors[`tags.${i}.key`] = k ? t(TAG_MESSAGES[k]) : null;
    const v = tagValueProblem(row.value);
    errors[`tags.${i}.value`] = v === 'too_long' ? t('validation.tooLong', { max: MAX_TAG_VALUE }) : v ? t(TAG_MESSAGES[v]) : null;
  });
  return errors;
}

export function validateHostForm(t: TFunction, v: HostFormValues): Record<string, string | null> {
  return {
    name: hostNameError(t, v.name),
    address: addressError(t, v.address),
    port: portProblem(v.port) ? t('validation.integerRange', { min: 1, max: 65535 }) : null,
    os: labelError(t, v.os),
    environment: labelError(t, v.environment),
    description: descriptionTooLong(v.description) ? t('validation.tooLong', { max: MAX_DESCRIPTION }) : null,
    tags: v.tags.length > MAX_TAGS ? t('hosts.validation.tooManyTags', { max: MAX_TAGS }) : null,
    ...tagErrors(t, v.tags),
  };
}
