import { describe, expect, it } from 'vitest';
import { durationSeconds, eventIndexAfter, formatClock, framesUntil, parseAsciicast, seekMax, seekTarget } from './asciicast';

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

describe('seekTarget', () => {
  it('takes the far end of the track, rounded down to the step, as the end of the recording', () => {
    // The slider rounds 4.14 s to 4.1 at the end of its track; the last 40 ms must still play.
    expect(seekTarget(4.1, 4.14)).toBe(4.14);
    expect(seekTarget(4.14, 4.14)).toBe(4.14);
    expect(seekTarget(seekMax(0.03), 0.03)).toBe(0.03);
  });

  it('keeps other positions, clamped to the recording', () => {
    expect(seekTarget(0, 4.14)).toBe(0);
    expect(seekTarget(4.0, 4.14)).toBe(4.0);
    expect(seekTarget(2.5, 4.14)).toBe(2.5);
    expect(seekTarget(0, 0.03)).toBe(0);
    expect(seekTarget(-1, 4.14)).toBe(0);
  });

  it('gives the slider a range even for an empty recording', () => {
    expect(seekMax(0)).toBeGreaterThan(0);
    expect(seekMax(12.5)).toBe(12.5);
  });
});
