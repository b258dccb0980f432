import { describe, expect, it } from 'vitest';
import { durationSeconds, eventIndexAfter, formatClock, framesUntil, parseAsciicast } from './asciicast';

const CAST = [
  '{"version":2,"width":100,"height":30,"timestamp":1700000000}',
  '[0.1,"o","hello "]',
  'not json',
  '[0.5,"r","120x40"]',
  '[1.0,"o","world"]',
  '[1.2,"i","typed"]',
  '["x","o","bad time"]',
  '[1.5,"r","bogus"]',
  '',
  '[2.5,"o","\\r\\n$ "]',
].join('\n');

describe('parseAsciicast', () => {
  it('reads the header size and the valid output and resize events', () => {
    const cast = parseAsciicast(CAST);
    expect(cast.width).toBe(100);
    expect(cast.height).toBe(30);
    expect(cast.events).toEqual([
      { time: 0.1, type: 'o', data: 'hello ' },
      { time: 0.5, type: 'r', cols: 120, rows: 40 },
      { time: 1.0, type: 'o', data: 'world' },
      { time: 2.5, type: 'o', data: '\r\n$ ' },
    ]);
    expect(cast.duration).toBe(2.5);
  });

  it('falls back to 80x24 without a usable header and tolerates empty text', () => {
    expect(parseAsciicast('{"version":2}\n[0,"o","x"]')).toMatchObject({ width: 80, height: 24, duration: 0 });
    expect(parseAsciicast('{broken\n[1,"o","x"]').events).toHaveLength(1);
    expect(parseAsciicast('')).toEqual({ width: 80, height: 24, events: [], duration: 0 });
  });
});

describe('framesUntil', () => {
  const { events } = parseAsciicast(CAST);

  it('returns the output up to t, inclusive', () => {
    expect(framesUntil(events, 0).output).toBe('');
    expect(framesUntil(events, 0.1).output).toBe('hello ');
    expect(framesUntil(events, 1.1)).toEqual({ output: 'hello world', size: { cols: 120, rows: 40 } });
    expect(framesUntil(events, 99).output).toBe('hello world\r\n$ ');
  });

  it('seeking backwards gives the earlier screen again', () => {
    expect(framesUntil(events, 3).output).toBe('hello world\r\n$ ');
    expect(framesUntil(events, 0.4)).toEqual({ output: 'hello ', size: null });
  });

  it('finds the next event index', () => {
    expect(eventIndexAfter(events, -1)).toBe(0);
    expect(eventIndexAfter(events, 1)).toBe(3);
    expect(eventIndexAfter(events, 10)).toBe(4);
  });
});

describe('formatting', () => {
  it('formats clocks and durations', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65.9)).toBe('1:05');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(durationSeconds('2024-01-01T00:00:00Z', '2024-01-01T00:01:30Z')).toBe(90);
    expect(durationSeconds('2024-01-01T00:00:00Z', null)).toBeNull();
  });
});
