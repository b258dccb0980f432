import type { RevealedSecret, SecretKind } from '@/api/types';

/** How long a revealed value stays on screen before it is dropped. */
export const REVEAL_SECONDS = 30;

export type RevealedEntry = { field: 'username' | 'value' | 'passphrase' | 'become_password' | 'file_name'; value: string };

/**
 * The revealed parts to show, in order. A file's content is not shown (it is offered as a
 * download); a credential without a password has an empty `value`.
 */
export function revealedEntries(kind: SecretKind, r: RevealedSecret): RevealedEntry[] {
  const entries: RevealedEntry[] = [];
  const add = (field: RevealedEntry['field'], value: string | null | undefined) => {
    if (value) entries.push({ field, value });
  };
  add('username', r.username);
  if (kind !== 'file') add('value', r.value);
  add('passphrase', r.passphrase);
  add('become_password', r.become_password);
  add('file_name', r.file_name);
  return entries;
}
