import { describe, expect, it } from 'vitest';
import '@/i18n';
import { formatBytes } from './format';

describe('formatBytes', () => {
  it('uses binary units with at most one decimal', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KiB');
    expect(formatBytes(1024 * 1024, 'en')).toBe('1 MiB');
    expect(formatBytes(1536, 'ru')).toBe('1,5 КиБ');
  });
  it('can keep the exact byte count', () => expect(formatBytes(1_048_577, 'en', true)).toBe('1,048,577 B'));
});
