import { describe, expect, it } from 'vitest';
import type { OutputChunk } from '@/api/types';
import { linePrefix, mergedText, OutputBuffer, prefixWidth, visibleLines, type OutputLine } from './output';

let seq = 0;
const chunk = (host: string | null, data: string, stream = 'out', at = seq + 1): OutputChunk => {
  seq = at;
  return { seq: at, host_id: host, stream, data, at: '2025-01-01T00:00:00Z' };
};

describe('OutputBuffer', () => {
  it('joins lines split across chunks per host and stream, even when hosts interleave', () => {
    seq = 0;
    const b = new OutputBuffer();
    b.push(chunk('a', 'hel'));
    b.push(chunk('b', 'one\ntw'));
    b.push(chunk('a', 'lo\nworld\n'));
    b.push(chunk('b', 'o\n'));
    b.push(chunk('a', 'oops\r\n', 'err'));
    expect(b.lines.map((l) => [l.hostId, l.stream, l.text])).toEqual([
      ['a', 'out', 'hello'],
      ['b', 'out', 'one'],
      ['b', 'out', 'two'],
      ['a', 'out', 'world'],
      ['a', 'err', 'oops'],
    ]);
    expect(b.lastSeq).toBe(5);
  });

  it('ignores chunks already seen (a resumed stream) and keeps sys messages whole', () => {
    seq = 0;
    const b = new OutputBuffer();
    b.push(chunk(null, 'connecting', 'sys'));
    b.push(chunk(null, 'connected', 'sys'));
    expect(b.push({ seq: 1, host_id: null, stream: 'sys', data: 'connecting', at: '' })).toBe(false);
    expect(b.lines.map((l) => l.text)).toEqual(['connecting', 'connected']);
  });

  it('keeps keys stable and drops the oldest lines beyond the cap', () => {
    seq = 0;
    const b = new OutputBuffer(3);
    b.push(chunk('a', '1\n2\n3\n4\n5\n'));
    expect(b.lines.map((l) => l.text)).toEqual(['3', '4', '5']);
    expect(b.dropped).toBe(2);
    expect(b.lines.map((l) => l.key)).toEqual([2, 3, 4]);
  });

  it('handles 10 000 lines quickly and renders only the newest of a view', () => {
    seq = 0;
    const b = new OutputBuffer();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) b.push(chunk(i % 2 ? 'a' : 'b', Array.from({ length: 10 }, (_, j) => `line ${i}.${j}`).join('\n') + '\n'));
    expect(b.lines).toHaveLength(10_000);
    const view = visibleLines(b.lines, 'a', 2000);
    expect(view.lines).toHaveLength(2000);
    expect(view.hidden).toBe(3000);
    expect(view.lines.at(-1)?.text).toBe('line 999.9');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('merged view', () => {
  it('prefixes every line with its host name padded to the widest, `*` for the run itself', () => {
    seq = 0;
    const names = new Map([
      ['a', 'web-01'],
      ['b', 'db'],
    ]);
    const b = new OutputBuffer();
    b.push(chunk('a', 'up 3 days\n'));
    b.push(chunk('b', 'up 1 day\n'));
    b.push(chunk(null, 'run canceled', 'sys'));
    expect(prefixWidth(names)).toBe(6);
    expect(linePrefix(b.lines[1] as OutputLine, names, 6)).toBe('db     | ');
    expect(mergedText(b.lines, names)).toBe('web-01 | up 3 days\ndb     | up 1 day\n*      | run canceled');
  });
});
