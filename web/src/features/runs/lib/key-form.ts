import type { TFunction } from 'i18next';
import type { KeyAction, KeyRequest, TargetSpec } from '@/api/types';

export type KeyFormValues = {
  action: KeyAction;
  source: 'paste' | 'secret';
  public_key: string;
  key_secret: string;
  user: string;
};

export const KEY_DEFAULTS: KeyFormValues = { action: 'deploy', source: 'paste', public_key: '', key_secret: '', user: '' };

const PUBLIC_KEY = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-[\w-]+|sk-[\w@.-]+)\s+[A-Za-z0-9+/]+={0,3}(\s+\S.*)?$/;

/** Whether `text` is one OpenSSH public key line (`type base64 [comment]`). */
export function isPublicKeyLine(text: string): boolean {
  const line = text.trim();
  return !line.includes('\n') && PUBLIC_KEY.test(line);
}

export function validateKeyForm(t: TFunction, v: KeyFormValues): Record<string, string | null> {
  return {
    public_key: v.source === 'paste' ? (!v.public_key.trim() ? t('validation.required') : isPublicKeyLine(v.public_key) ? null : t('runs.key.publicKeyInvalid')) : null,
    key_secret: v.source === 'secret' && !v.key_secret ? t('validation.required') : null,
  };
}

export function toKeyRequest(v: KeyFormValues, targets: TargetSpec): KeyRequest {
  const body: KeyRequest = { targets, action: v.action };
  if (v.source === 'paste') body.public_key = v.public_key.trim();
  else body.key_secret = v.key_secret;
  if (v.user.trim()) body.user = v.user.trim();
  return body;
}
