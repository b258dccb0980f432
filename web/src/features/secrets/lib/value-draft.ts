import type { ReactNode } from 'react';
import type { SecretKind, SecretValueFields } from '@/api/types';

/** How an SSH key is given: pasted, read from a key file, or generated on the server. */
export type SshKeySource = 'paste' | 'upload' | 'generate';
export const SSH_KEY_SOURCES = ['paste', 'upload', 'generate'] as const satisfies readonly SshKeySource[];

/**
 * What the value inputs hold, for every kind; a kind ignores the fields it does not use.
 * Field names follow the API's, so server field errors land on the right input.
 */
export type ValueDraft = {
  /** Password, token, text; the private key (ssh_key); the password (ssh_credential); base64 content (file). */
  value: string;
  key_source: SshKeySource;
  passphrase: string;
  username: string;
  /** The id of an `ssh_key` secret. */
  key_secret: string | null;
  become_password: string;
  file_name: string;
};

export const EMPTY_DRAFT: ValueDraft = {
  value: '',
  key_source: 'paste',
  passphrase: '',
  username: '',
  key_secret: null,
  become_password: '',
  file_name: '',
};

/** Fields the server may report errors on for a value. */
export const VALUE_FIELDS = ['value', 'generate', 'passphrase', 'username', 'key_secret', 'become_password', 'file_name'] as const;

/** Props shared by the kind-specific value inputs. */
export type ValueInputProps = {
  draft: ValueDraft;
  errors: Partial<Record<string, ReactNode>>;
  onChange: (patch: Partial<ValueDraft>) => void;
  /** Reports a problem found while reading a chosen file (null clears it). */
  onError: (field: keyof ValueDraft, message: string | null) => void;
};

/** The value part of a create or replace request; optional fields left empty are omitted. */
export function toValueFields(kind: SecretKind, d: ValueDraft): SecretValueFields {
  switch (kind) {
    case 'ssh_key':
      return d.key_source === 'generate' ? { generate: true } : { value: d.value, passphrase: d.passphrase || undefined };
    case 'ssh_credential':
      return {
        username: d.username,
        value: d.value || undefined,
        key_secret: d.key_secret || undefined,
        become_password: d.become_password || undefined,
      };
    case 'file':
      return { value: d.value, file_name: d.file_name };
    default:
      return { value: d.value };
  }
}
