import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import { fileNameError, fileSizeError, rowsToTags, secretNameError, secretValueError, sshUsernameError, validateSecretForm, valueDraftErrors, type SecretFormValues } from './validation';
import { EMPTY_DRAFT, toValueFields, type ValueDraft } from './value-draft';

const t = i18n.getFixedT('en') as TFunction;
const NAME_FORMAT = /1–128 characters/;

describe('secret name validation (mirrors SecretName::parse)', () => {
  it('accepts letters, digits, dot, dash, underscore and slash', () => {
    for (const ok of ['db', 'e2e/db.password', 'A_b-c.d/e', '9lives', 'x'.repeat(128), '  trimmed  ']) expect(secretNameError(t, ok), ok).toBeNull();
  });
  it('requires a name', () => {
    expect(secretNameError(t, '')).toBe('Required');
    expect(secretNameError(t, '   ')).toBe('Required');
  });
  it('must start with a letter or digit', () => {
    for (const bad of ['/db', '.hidden', '-x', '_x']) expect(secretNameError(t, bad), bad).toMatch(NAME_FORMAT);
  });
  it('rejects other characters and names over 128 characters', () => {
    for (const bad of ['a b', 'a:b', 'a{b}', 'пароль', 'a\tb', 'x'.repeat(129)]) expect(secretNameError(t, bad), bad).toMatch(NAME_FORMAT);
  });
});

describe('secret value validation', () => {
  it('password and token values are one line of at most 4 KiB', () => {
    expect(secretValueError(t, 'password', ' spaces are kept ')).toBeNull();
    expect(secretValueError(t, 'password', 'two\nlines')).toMatch(/single line/);
    expect(secretValueError(t, 'token', 'x'.repeat(4096))).toBeNull();
    expect(secretValueError(t, 'token', 'x'.repeat(4097))).toBe('At most 4 KiB');
    // Bytes, not characters: 2 bytes each in UTF-8.
    expect(secretValueError(t, 'password', 'ж'.repeat(2049))).toBe('At most 4 KiB');
  });
  it('text values may span lines, up to 64 KiB', () => {
    expect(secretValueError(t, 'text', 'line 1\nline 2\r\n\tindented')).toBeNull();
    expect(secretValueError(t, 'text', 'x'.repeat(64 * 1024 + 1))).toBe('At most 64 KiB');
    expect(secretValueError(t, 'text', 'bell\u0007')).toMatch(/control characters/);
  });
  it('an empty value is required', () => expect(secretValueError(t, 'password', '')).toBe('Required'));
});

describe('secret form validation', () => {
  const valid: SecretFormValues = { ...EMPTY_DRAFT, name: 'e2e/db.password', kind: 'password', description: '', value: 'pw', tags: [], expires_at: null };
  const errors = (v: Partial<SecretFormValues>, withValue = true) =>
    Object.fromEntries(Object.entries(validateSecretForm(t, { ...valid, ...v }, withValue)).filter(([, m]) => m));

  it('accepts a valid secret', () => expect(errors({})).toEqual({}));
  it('skips the value when editing metadata', () => expect(errors({ value: '' }, false)).toEqual({}));
  it('checks tag keys, duplicates and value length', () => {
    const e = errors({
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'env', value: 'dev' },
        { key: 'bad key', value: 'x'.repeat(257) },
        { key: '', value: '' },
      ],
    });
    expect(e).toEqual({
      'tags.0.key': 'Duplicate key',
      'tags.1.key': 'Duplicate key',
      'tags.2.key': '1–64 characters: letters, digits, dot, dash or underscore',
      'tags.2.value': 'At most 256 characters',
      'tags.3.key': 'Required',
    });
  });
  it('limits the description to 1024 characters', () => {
    expect(errors({ description: 'x'.repeat(1025) })).toEqual({ description: 'At most 1024 characters' });
  });
  it('turns rows into the API map', () => expect(rowsToTags([{ key: ' env ', value: 'prod' }])).toEqual({ env: 'prod' }));
});

describe('kind-specific values (mirror new_value in the api crate)', () => {
  const draft = (d: Partial<ValueDraft>): ValueDraft => ({ ...EMPTY_DRAFT, ...d });
  const errors = (kind: Parameters<typeof valueDraftErrors>[1], d: Partial<ValueDraft>) =>
    Object.fromEntries(Object.entries(valueDraftErrors(t, kind, draft(d))).filter(([, m]) => m));

  it('a generated SSH key needs no value; a pasted one does, up to 16 KiB', () => {
    expect(errors('ssh_key', { key_source: 'generate' })).toEqual({});
    expect(errors('ssh_key', { key_source: 'paste' })).toEqual({ value: 'Required' });
    expect(errors('ssh_key', { value: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n' })).toEqual({});
    expect(errors('ssh_key', { value: 'x'.repeat(16 * 1024 + 1) })).toEqual({ value: 'At most 16 KiB' });
  });

  it('a credential needs a user name and a password or a key', () => {
    expect(errors('ssh_credential', {})).toEqual({ username: 'Required', value: 'Give a password, an SSH key, or both' });
    expect(errors('ssh_credential', { username: 'deploy', value: 'pw' })).toEqual({});
    expect(errors('ssh_credential', { username: 'deploy', key_secret: 'k1' })).toEqual({});
    expect(errors('ssh_credential', { username: 'deploy', key_secret: 'k1', become_password: 'two\nlines' })).toEqual({
      become_password: 'Must be a single line without control characters',
    });
  });

  it('user names are 1–64 letters, digits, dot, dash, underscore, without whitespace or a leading dash', () => {
    for (const ok of ['root', 'deploy.bot', 'a_b-c', 'x'.repeat(64)]) expect(sshUsernameError(t, ok), ok).toBeNull();
    for (const bad of ['has space', ' root', 'tab\t', '-x', 'x'.repeat(65), 'user@host']) expect(sshUsernameError(t, bad), bad).toMatch(/without spaces/);
  });

  it('a file needs content of at most 1 MiB and a plain file name', () => {
    expect(errors('file', {})).toEqual({ value: 'A file is required' });
    expect(errors('file', { value: 'aGk=', file_name: 'hi.txt' })).toEqual({});
    // 1 MiB + 2 bytes (a multiple of 3), base64-encoded.
    expect(errors('file', { value: 'A'.repeat(((1024 * 1024 + 2) / 3) * 4), file_name: 'big.bin' })).toEqual({
      value: 'The file is 1,048,578 B; at most 1 MiB is allowed.',
    });
    expect(fileSizeError(t, 3 * 1024 * 1024)).toBe('The file is 3 MiB; at most 1 MiB is allowed.');
    expect(fileSizeError(t, 1024 * 1024)).toBeNull();
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'x'.repeat(256)]) expect(fileNameError(t, bad), bad).not.toBeNull();
  });

  it('builds the request fields for each kind, leaving out empty optional ones', () => {
    expect(toValueFields('password', draft({ value: 'pw' }))).toEqual({ value: 'pw' });
    expect(toValueFields('ssh_key', draft({ key_source: 'generate', value: 'ignored' }))).toEqual({ generate: true });
    expect(toValueFields('ssh_key', draft({ value: 'KEY', passphrase: '' }))).toEqual({ value: 'KEY', passphrase: undefined });
    expect(toValueFields('ssh_credential', draft({ username: 'deploy', key_secret: 'k1' }))).toEqual({
      username: 'deploy',
      value: undefined,
      key_secret: 'k1',
      become_password: undefined,
    });
    expect(toValueFields('file', draft({ value: 'aGk=', file_name: 'hi.txt' }))).toEqual({ value: 'aGk=', file_name: 'hi.txt' });
  });
});
