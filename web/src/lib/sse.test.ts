import { describe, expect, it } from 'vitest';
import { backoffDelay, SseParser } from './sse';

describe('SseParser', () => {
  it('parses a named event with JSON data', () => {
    const p = new SseParser();
    expect(p.push('event: host.status\ndata: {"a":1}\n\n')).toEqual([{ event: 'host.status', data: '{"a":1}' }]);
  });

  it('joins chunks split mid-line and mid-field', () => {
    const p = new SseParser();
    expect(p.push('eve')).toEqual([]);
    expect(p.push('nt: host.st')).toEqual([]);
    expect(p.push('atus\nda')).toEqual([]);
    expect(p.push('ta: {"host_id":')).toEqual([]);
    expect(p.push('"x"}\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'host.status', data: '{"host_id":"x"}' }]);
  });

  it('returns several events from one chunk', () => {
    const p = new SseParser();
    const events = p.push('event: a\ndata: 1\n\nevent: b\ndata: 2\n\ndata: 3\n\n');
    expect(events).toEqual([
      { event: 'a', data: '1' },
      { event: 'b', data: '2' },
      { event: 'message', data: '3' },
    ]);
  });

  it('ignores comments and keep-alives', () => {
    const p = new SseParser();
    expect(p.push(':\n\n: keep-alive\n\n')).toEqual([]);
    expect(p.push(': ping\nevent: a\n: in between\ndata: x\n\n')).toEqual([{ event: 'a', data: 'x' }]);
  });

  it('handles CRLF line ends even when split between chunks', () => {
    const p = new SseParser();
    expect(p.push('data: a\r')).toEqual([]);
    expect(p.push('\n\r\n')).toEqual([{ event: 'message', data: 'a' }]);
  });

  it('joins multi-line data, keeps ids and retry, and drops events without data', () => {
    const p = new SseParser();
    expect(p.push('event: empty\n\nid: 7\nretry: 5000\ndata: one\ndata:two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo', id: '7' }]);
    expect(p.retry).toBe(5000);
  });
});

describe('backoffDelay', () => {
  it('doubles from one second up to thirty', () => {
    const mid = () => 0.5;
    expect(backoffDelay(0, mid)).toBe(1000);
    expect(backoffDelay(1, mid)).toBe(2000);
    expect(backoffDelay(3, mid)).toBe(8000);
    expect(backoffDelay(10, mid)).toBe(30000);
  });
});
