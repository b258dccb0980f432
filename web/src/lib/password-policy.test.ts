import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-policy';

describe('checkPassword', () => {
  it('requires a password', () => expect(checkPassword('')).toBe('required'));
  it('rejects fewer than 12 characters', () => expect(checkPassword('elevenchars')).toBe('too_short'));
  it('rejects more than 256 characters', () => expect(checkPassword('ab'.repeat(129))).toBe('too_long'));
  it('counts characters, not UTF-16 units', () => expect(checkPassword('пароль-пароль')).toBeNull());
  it('rejects a password containing the username, in any case', () => {
    expect(checkPassword('administrator', 'Administrator')).toBe('contains_username');
    expect(checkPassword('my-ADMIN-password', 'admin')).toBe('contains_username');
  });
  it('rejects one character repeated', () => expect(checkPassword('aaaaaaaaaaaaaa')).toBe('repeated'));
  it('accepts a long enough password', () => expect(checkPassword('correct horse battery', 'admin')).toBeNull());
});
