import { describe, expect, it } from 'vitest';
import { revealedEntries } from './reveal';

describe('revealedEntries', () => {
  it('shows a plain value alone', () => {
    expect(revealedEntries('password', { value: 'pw' })).toEqual([{ field: 'value', value: 'pw' }]);
  });
  it('shows every part of a credential, skipping an empty password', () => {
    expect(revealedEntries('ssh_credential', { value: '', username: 'deploy', become_password: 'sudo' })).toEqual([
      { field: 'username', value: 'deploy' },
      { field: 'become_password', value: 'sudo' },
    ]);
  });
  it('never shows a file\'s content, only its name', () => {
    expect(revealedEntries('file', { value: 'aGk=', file_name: 'a.txt' })).toEqual([{ field: 'file_name', value: 'a.txt' }]);
  });
  it('shows a key\'s passphrase after the key', () => {
    expect(revealedEntries('ssh_key', { value: 'KEY', passphrase: 'pp' }).map((e) => e.field)).toEqual(['value', 'passphrase']);
  });
});
