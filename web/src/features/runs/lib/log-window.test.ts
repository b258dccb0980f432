import { describe, expect, it } from 'vitest';
import { LOG_LINE_HEIGHT, visibleRange } from './log-window';

describe('visibleRange', () => {
  it('renders only the window around the scroll position of a 100,000-line log', () => {
    const { first, last } = visibleRange(50_000 * LOG_LINE_HEIGHT, 100_000);
    expect(first).toBe(50_000 - 30);
    expect(last - first).toBeLessThan(120);
  });
  it('clamps to the log', () => {
    expect(visibleRange(0, 10)).toEqual({ first: 0, last: 10 });
    expect(visibleRange(0, 0)).toEqual({ first: 0, last: 0 });
  });
});
