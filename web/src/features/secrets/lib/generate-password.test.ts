import { describe, expect, it } from 'vitest';
import { generatePassword } from './generate-password';

describe('generatePassword', () => {
  it('makes long passwords with every character class', () => {
    const pw = generatePassword(24, true);
    expect(pw).toHaveLength(24);
    expect(pw).toMatch(/[a-z]/);
    expect(pw).toMatch(/[A-Z]/);
    expect(pw).toMatch(/[0-9]/);
    expect(pw).toMatch(/[^A-Za-z0-9]/);
  });
  it('makes alphanumeric tokens', () => expect(generatePassword(40, false)).toMatch(/^[A-Za-z0-9]{40}$/));
  it('does not repeat itself', () => expect(generatePassword()).not.toBe(generatePassword()));
});
