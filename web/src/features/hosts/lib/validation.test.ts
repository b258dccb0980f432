import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import {
  addressError,
  addressProblem,
  EMPTY_HOST_FORM,
  hostNameProblem,
  labelProblem,
  normalizeLabel,
  portProblem,
  tagKeyProblem,
  tagValueProblem,
  validateHostForm,
} from './validation';

const t = i18n.getFixedT('en') as TFunction;

describe('host name (mirrors HostName::parse)', () => {
  it('accepts 1–128 letters, digits, dot, dash, underscore starting alphanumeric', () => {
    for (const ok of ['web-01', 'a', 'DB_1.example', '9lives', 'x'.repeat(128), ' trimmed ']) expect(hostNameProblem(ok), ok).toBeNull();
  });
  it('rejects empty, too long, bad characters and a bad first character', () => {
    expect(hostNameProblem('')).toBe('required');
    expect(hostNameProblem('   ')).toBe('required');
    expect(hostNameProblem('x'.repeat(129))).toBe('too_long');
    for (const bad of ['a b', 'a/b', 'a:b', 'хост', 'a@b']) expect(hostNameProblem(bad), bad).toBe('characters');
    for (const bad of ['-web', '.web', '_web']) expect(hostNameProblem(bad), bad).toBe('start');
  });
});

describe('address (mirrors HostAddress::parse)', () => {
  it('accepts IPv4, IPv6 with or without brackets, and host names', () => {
    for (const ok of ['10.0.0.1', '127.0.0.1', '::1', '[::1]', 'fe80::1', '2001:db8::8a2e:370:7334', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8', 'Web-01.Example.com.', 'db_1.internal', 'localhost', 'x1'])
      expect(addressProblem(ok), ok).toBeNull();
  });
  it('rejects a leading dash (it would be read as an option)', () => {
    expect(addressProblem('-oProxyCommand=touch /tmp/x')).toBe('option');
    expect(addressProblem('-host')).toBe('option');
  });
  it('rejects URLs', () => expect(addressProblem('ssh://host')).toBe('url'));
  it('rejects user@host', () => expect(addressProblem('root@host')).toBe('at_sign'));
  it('rejects white space', () => {
    expect(addressProblem('host name')).toBe('whitespace');
    expect(addressProblem('host\tname')).toBe('whitespace');
  });
  it('rejects a colon in something that is not an IP and points to the port field', () => {
    expect(addressProblem('host:22')).toBe('port_in_address');
    expect(addressProblem('10.0.0.1:22')).toBe('port_in_address');
    expect(addressProblem('1:2:3:4:5:6:7:8:9')).toBe('port_in_address');
    expect(addressError(t, 'host:22')).toMatch(/Port field/);
  });
  it('rejects all-numeric dotted names (typos of an IP)', () => {
    expect(addressProblem('10.0.0')).toBe('numeric');
    expect(addressProblem('1.2.3.4.5')).toBe('numeric');
    expect(addressProblem('10.0.0.256')).toBe('numeric');
    expect(addressProblem('010.0.0.1')).toBe('numeric');
  });
  it('rejects bad labels and over-long names', () => {
    for (const bad of ['host-.example', 'a..b', 'ho$t', 'host;rm', '-', 'x.-y', `${'a'.repeat(64)}.com`]) expect(addressProblem(bad), bad).not.toBeNull();
    expect(addressProblem(['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(63)].join('.'))).toBe('too_long');
    expect(addressProblem('')).toBe('required');
  });
});

describe('port, labels, tags and description', () => {
  it('port is 1–65535', () => {
    expect(portProblem(22)).toBeNull();
    expect(portProblem(65535)).toBeNull();
    for (const bad of [0, 65536, -1, 2.5, 'abc']) expect(portProblem(bad), String(bad)).toBe('range');
  });
  it('os and environment are at most 64 of a–z, 0–9, dot, dash, underscore, case-insensitive', () => {
    expect(labelProblem('')).toBeNull();
    expect(labelProblem(' Prod ')).toBeNull();
    expect(normalizeLabel(' Debian-12 ')).toBe('debian-12');
    expect(labelProblem('x'.repeat(64))).toBeNull();
    expect(labelProblem('x'.repeat(65))).toBe('format');
    expect(labelProblem('linux; rm')).toBe('format');
    expect(labelProblem('прод')).toBe('format');
  });
  it('tag keys are 1–64 of letters, digits, dot, dash, underscore and unique; values at most 256', () => {
    const rows = [
      { key: 'env', value: 'prod' },
      { key: 'env', value: 'stage' },
    ];
    expect(tagKeyProblem('role', rows)).toBeNull();
    expect(tagKeyProblem('', rows)).toBe('required');
    expect(tagKeyProblem('a b', rows)).toBe('format');
    expect(tagKeyProblem('k'.repeat(65), rows)).toBe('format');
    expect(tagKeyProblem('env', rows)).toBe('duplicate');
    expect(tagValueProblem('v'.repeat(256))).toBeNull();
    expect(tagValueProblem('v'.repeat(257))).toBe('too_long');
    expect(tagValueProblem('a\nb')).toBe('characters');
  });
  it('the whole form: at most 50 tags, description at most 1024 characters', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' }));
    const errors = validateHostForm(t, { ...EMPTY_HOST_FORM, name: 'web', address: '10.0.0.1', tags, description: 'd'.repeat(1025) });
    expect(errors.tags).toBe('At most 50 tags');
    expect(errors.description).toBe('At most 1024 characters');
    const ok = validateHostForm(t, { ...EMPTY_HOST_FORM, name: 'web', address: '10.0.0.1', tags: tags.slice(0, 50), description: 'd'.repeat(1024) });
    expect(Object.values(ok).filter(Boolean)).toEqual([]);
    expect(validateHostForm(t, EMPTY_HOST_FORM)).toMatchObject({ name: 'Required', address: 'Required' });
  });
});
