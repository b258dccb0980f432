import { describe, expect, it } from 'vitest';
import { expiryState } from './expiry';

const now = Date.parse('2025-06-01T12:00:00Z');
const inDays = (d: number) => new Date(now + d * 86_400_000).toISOString();

describe('expiryState', () => {
  it('has no state without an expiry', () => expect(expiryState(null, now)).toBe('none'));
  it('is expired in the past', () => expect(expiryState(inDays(-1), now)).toBe('expired'));
  it('warns within 14 days', () => {
    expect(expiryState(inDays(1), now)).toBe('soon');
    expect(expiryState(inDays(14), now)).toBe('soon');
    expect(expiryState(inDays(15), now)).toBe('ok');
  });
});
