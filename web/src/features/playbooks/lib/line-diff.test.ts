import { describe, expect, it } from 'vitest';
import { diffLines, diffStats } from './line-diff';

const ops = (a: string, b: string) => diffLines(a, b).map((l) => `${l.op === 'same' ? ' ' : l.op === 'add' ? '+' : '-'}${l.text}`);

describe('diffLines', () => {
  it('reports no changes for equal texts', () => {
    expect(ops('a\nb', 'a\nb')).toEqual([' a', ' b']);
  });

  it('finds a changed line in the middle with line numbers', () => {
    const d = diffLines('- hosts: all\n  tasks:\n  - ping:', '- hosts: all\n  become: true\n  tasks:\n  - ping:');
    expect(d.map((l) => l.op)).toEqual(['same', 'add', 'same', 'same']);
    expect(d[1]).toEqual({ op: 'add', text: '  become: true', oldNo: null, newNo: 2 });
    expect(d[2]).toMatchObject({ oldNo: 2, newNo: 3 });
  });

  it('uses the longest common subsequence for interleaved edits', () => {
    expect(ops('a\nb\nc\nd', 'a\nc\nx\nd')).toEqual([' a', '-b', ' c', '+x', ' d']);
    expect(diffStats(diffLines('a\nb\nc\nd', 'a\nc\nx\nd'))).toEqual({ added: 1, removed: 1 });
  });

  it('handles empty texts', () => {
    expect(ops('', 'x\ny')).toEqual(['+x', '+y']);
    expect(ops('x', '')).toEqual(['-x']);
    expect(ops('', '')).toEqual([]);
  });

  it('stays correct on long inputs with a small change', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    const changed = [...lines];
    changed[10_000] = 'changed';
    const d = diffLines(lines.join('\n'), changed.join('\n'));
    expect(diffStats(d)).toEqual({ added: 1, removed: 1 });
    expect(d).toHaveLength(20_001);
  });
});
