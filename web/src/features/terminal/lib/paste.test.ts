import { describe, expect, it } from 'vitest';
import { clampFontSize } from './prefs';
import { isMultiLine, lineCount } from './paste';

describe('paste', () => {
  it('treats a single line with a trailing newline as one line', () => {
    expect(isMultiLine('ls -la')).toBe(false);
    expect(isMultiLine('ls -la\n')).toBe(false);
    expect(isMultiLine('rm -rf /tmp/x\nreboot')).toBe(true);
    expect(isMultiLine('a\r\nb\r\n')).toBe(true);
    expect(lineCount('a\r\nb\nc\n')).toBe(3);
  });

  it('clamps font sizes', () => {
    expect(clampFontSize(2)).toBe(8);
    expect(clampFontSize(100)).toBe(32);
    expect(clampFontSize(13.4)).toBe(13);
  });
});
