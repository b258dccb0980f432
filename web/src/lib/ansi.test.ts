import { describe, expect, it } from 'vitest';
import { ansiCss, parseAnsi, stripAnsi } from './ansi';

describe('parseAnsi', () => {
  it('returns plain text as one unstyled span', () => {
    expect(parseAnsi('ok: [web-01]').spans).toEqual([{ text: 'ok: [web-01]', style: {} }]);
  });

  it('splits Ansible coloured output into styled spans and resets', () => {
    const { spans } = parseAnsi('\x1b[0;32mok: [web-01]\x1b[0m done');
    expect(spans).toEqual([
      { text: 'ok: [web-01]', style: { fg: 'var(--mantine-color-green-6)' } },
      { text: ' done', style: {} },
    ]);
  });

  it('handles bold, bright, background, 256 and true colours', () => {
    const { spans } = parseAnsi('\x1b[1;91mA\x1b[22;44mB\x1b[38;5;196mC\x1b[38;2;1;2;3mD\x1b[39;49mE');
    expect(spans.map((s) => s.text)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(spans[0]?.style).toEqual({ bold: true, fg: 'var(--mantine-color-red-4)' });
    expect(spans[1]?.style).toEqual({ fg: 'var(--mantine-color-red-4)', bg: 'var(--mantine-color-blue-6)' });
    expect(spans[2]?.style.fg).toBe('rgb(255, 0, 0)');
    expect(spans[3]?.style.fg).toBe('rgb(1, 2, 3)');
    expect(spans[4]?.style).toEqual({});
  });

  it('treats ESC[m as a reset and drops other escape sequences', () => {
    const { spans } = parseAnsi('\x1b[31mred\x1b[m plain\x1b[K\x1b]0;title\x07!');
    expect(spans).toEqual([
      { text: 'red', style: { fg: 'var(--mantine-color-red-6)' } },
      { text: ' plain!', style: {} },
    ]);
  });

  it('carries the style across lines', () => {
    const first = parseAnsi('\x1b[33mchanged: [a]');
    const second = parseAnsi('still yellow', first.style);
    expect(second.spans[0]?.style.fg).toBe('var(--mantine-color-yellow-6)');
  });
});

describe('stripAnsi and ansiCss', () => {
  it('strips codes', () => {
    expect(stripAnsi('\x1b[0;31mfatal\x1b[0m: x')).toBe('fatal: x');
    expect(stripAnsi('plain')).toBe('plain');
  });
  it('maps a style to CSS', () => {
    expect(ansiCss({})).toBeUndefined();
    expect(ansiCss({ fg: 'red', bold: true, underline: true })).toEqual({ color: 'red', fontWeight: '700', textDecoration: 'underline' });
  });
});
