import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import { rowsToTags, secretNameError, secretValueError, validateSecretForm, type SecretFormValues } from './validation';

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
  const valid: SecretFormValues = { name: 'e2e/db.password', kind: 'password', description: '', value: 'pw', tags: [], expires_at: null };
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
