import { describe, expect, it } from 'vitest';
import { nextSort, sortParam } from './sort';

describe('sorting', () => {
  it('formats descending with a leading minus', () => {
    expect(sortParam({ field: 'created_at', desc: true })).toBe('-created_at');
    expect(sortParam({ field: 'username', desc: false })).toBe('username');
  });
  it('flips direction on the same column and starts ascending on a new one', () => {
    expect(nextSort({ field: 'username', desc: false }, 'username')).toEqual({ field: 'username', desc: true });
    expect(nextSort({ field: 'username', desc: true }, 'role')).toEqual({ field: 'role', desc: false });
  });
});
