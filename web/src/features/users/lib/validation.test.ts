import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import { validateCreateUser, type UserFormValues } from './validation';

const t = i18n.getFixedT('en') as TFunction;
const valid: UserFormValues = { username: 'e2e-operator', display_name: 'E2E Operator', email: '', role: 'operator', password: 'a-long-enough-password' };

function errors(v: Partial<UserFormValues>) {
  return Object.fromEntries(Object.entries(validateCreateUser(t, { ...valid, ...v })).filter(([, msg]) => msg));
}

describe('create user validation', () => {
  it('accepts a valid user', () => expect(errors({})).toEqual({}));
  it('requires username and display name', () => {
    expect(errors({ username: '', display_name: ' ' })).toEqual({ username: 'Required', display_name: 'Required' });
  });
  it('checks the username format like the server (case-insensitive, starts alphanumeric)', () => {
    expect(errors({ username: 'a b' }).username).toMatch(/3–64/);
    expect(errors({ username: '-root' }).username).toMatch(/3–64/);
    expect(errors({ username: 'E2E-Operator' })).toEqual({});
  });
  it('checks email only when given', () => expect(errors({ email: 'nope' })).toEqual({ email: 'Invalid email address' }));
  it('mirrors the password policy', () => {
    expect(errors({ password: 'short' })).toEqual({ password: 'At least 12 characters' });
    expect(errors({ username: 'Operator', password: 'my-operator-password' })).toEqual({ password: 'Must not contain the username' });
  });
});
