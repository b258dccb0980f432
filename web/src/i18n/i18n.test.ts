import { describe, expect, it } from 'vitest';
import en from './en';
import ru from './ru';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function placeholders(s: string): string[] {
  return [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1] ?? '').sort();
}

function lookup(obj: object, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);
}

describe('translations', () => {
  it('English and Russian have exactly the same keys', () => {
    expect(keys(ru).sort()).toEqual(keys(en).sort());
  });

  it('every string is non-empty and uses the same placeholders in both languages', () => {
    for (const key of keys(en)) {
      const a = lookup(en, key);
      const b = lookup(ru, key);
      expect(typeof a, key).toBe('string');
      expect(typeof b, key).toBe('string');
      expect((b as string).length, key).toBeGreaterThan(0);
      expect(placeholders(b as string), key).toEqual(placeholders(a as string));
    }
  });
});
