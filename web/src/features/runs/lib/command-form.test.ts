import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import { COMMAND_DEFAULTS, commandSummary, parseArgs, toCommandRequest, validateCommandForm } from './command-form';
import { describeTargets, EMPTY_DRAFT, isEmptySpec, toTargetSpec } from './targets';
import { isPublicKeyLine, toKeyRequest, validateKeyForm, KEY_DEFAULTS } from './key-form';

const t = i18n.getFixedT('en') as TFunction;

describe('command form', () => {
  it('builds a command request with only the options set', () => {
    expect(toCommandRequest({ ...COMMAND_DEFAULTS, command: ' uptime ' }, { hosts: ['h1'] })).toEqual({ targets: { hosts: ['h1'] }, command: 'uptime', sudo: false, stop_on_failure: false });
    expect(
      toCommandRequest(
        { ...COMMAND_DEFAULTS, mode: 'script', script_name: 'x.py', interpreter: 'python', content: 'print(1)', args: 'a b\n\n--flag\n', sudo: true, timeout_seconds: 30, concurrency: 5, stop_on_failure: true },
        { groups: ['prod'] },
      ),
    ).toEqual({
      targets: { groups: ['prod'] },
      script: { name: 'x.py', interpreter: 'python', content: 'print(1)', args: ['a b', '--flag'] },
      sudo: true,
      timeout_seconds: 30,
      concurrency: 5,
      stop_on_failure: true,
    });
  });

  it('validates what the mode needs and the ranges', () => {
    const errors = (v: Partial<typeof COMMAND_DEFAULTS>) => Object.entries(validateCommandForm(t, { ...COMMAND_DEFAULTS, ...v })).filter(([, e]) => e);
    expect(errors({}).map(([k]) => k)).toEqual(['command']);
    expect(errors({ command: 'ls' })).toEqual([]);
    expect(errors({ mode: 'script' }).map(([k]) => k)).toEqual(['content']);
    expect(errors({ command: 'ls', timeout_seconds: 0, concurrency: 1001 }).map(([k]) => k)).toEqual(['timeout_seconds', 'concurrency']);
  });

  it('summarises exactly what will run', () => {
    expect(commandSummary(t, { ...COMMAND_DEFAULTS, command: 'uptime' }, 3)).toBe('Run “uptime” on hosts: 3; default concurrency, default timeout.');
    expect(
      commandSummary(t, { ...COMMAND_DEFAULTS, mode: 'script', script_name: 'fix.sh', content: 'x', args: "plain\nwith space\nit's", sudo: true, concurrency: 2, timeout_seconds: 60, stop_on_failure: true }, null),
    ).toBe("Run script fix.sh (bash) plain 'with space' 'it'\\''s' on the selected hosts; with sudo, 2 at a time, timeout 60 s per host, stopping at the first failure.");
    expect(parseArgs(' a \n\n b')).toEqual([' a ', ' b']);
  });
});

describe('targets', () => {
  it('sends only the parts given and describes the selection', () => {
    const draft = { hosts: ['1', '2', '3', '4'], hostNames: { '1': 'a', '2': 'b', '3': 'c' }, groups: [' prod ', ''], rule: ' os == "linux" ' };
    expect(toTargetSpec(draft)).toEqual({ hosts: ['1', '2', '3', '4'], groups: ['prod'], rule: 'os == "linux"' });
    expect(isEmptySpec(toTargetSpec(EMPTY_DRAFT))).toBe(true);
    expect(describeTargets(t, draft)).toBe('hosts: 4 (a, b, c, …); groups: prod; rule os == "linux"');
    expect(describeTargets(t, EMPTY_DRAFT)).toBe('No targets');
  });
});

describe('key form', () => {
  it('accepts one OpenSSH public key line', () => {
    expect(isPublicKeyLine('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9 user@host')).toBe(true);
    expect(isPublicKeyLine('ecdsa-sha2-nistp256 AAAAE2VjZHNh=')).toBe(true);
    expect(isPublicKeyLine('-----BEGIN OPENSSH PRIVATE KEY-----')).toBe(false);
    expect(isPublicKeyLine('ssh-ed25519 AAAA\nssh-rsa BBBB')).toBe(false);
  });

  it('sends the pasted key or the secret, and the user only when given', () => {
    expect(validateKeyForm(t, KEY_DEFAULTS).public_key).toBe('Required');
    expect(validateKeyForm(t, { ...KEY_DEFAULTS, source: 'secret' }).key_secret).toBe('Required');
    expect(toKeyRequest({ ...KEY_DEFAULTS, public_key: ' ssh-ed25519 AAAA x \n' }, { hosts: ['h'] })).toEqual({ targets: { hosts: ['h'] }, action: 'deploy', public_key: 'ssh-ed25519 AAAA x' });
    expect(toKeyRequest({ ...KEY_DEFAULTS, action: 'remove', source: 'secret', key_secret: 'k1', public_key: 'ignored', user: ' deploy ' }, { groups: ['g'] })).toEqual({
      targets: { groups: ['g'] },
      action: 'remove',
      key_secret: 'k1',
      user: 'deploy',
    });
  });
});
